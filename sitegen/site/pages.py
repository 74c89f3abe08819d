"""The pages that list guides (home, operators, topics, feeds, sitemap, search, chooser, 404)
and each operator's printable page: front matter, facts and finished bodies are all they need."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..model import HANS, HANT, LOCALES, Topic, page_path, url_lang
from .assemble import CODES, OFFLINE, PRINT, SEARCH
from .guides import GuideResult
from .render import SCRIPT_NAMES, Renderer


def listing_pages(r: Renderer) -> dict[str, bytes]:
    """Every page but the guides' and the printable ones."""
    site, files = r.site, {}
    for locale in LOCALES:
        pages = {"": _home(r, locale)}  # by page key
        for op in site.operators:
            pages[op.id] = _operator(r, op.id, locale)
            if r.codes[op.id]:
                pages[f"{op.id}/{CODES}"] = _codes(r, op.id, locale)
        pages |= {topic.id: _topic(r, topic, locale) for topic in site.content.topics}
        pages[SEARCH] = r.page("search.html", SEARCH, locale, r.messages[locale].gettext("Search"), "site.yaml")
        if site.config.offline:
            pages[OFFLINE] = _offline(r, locale)
            files[f"{url_lang(locale)}/manifest.webmanifest"] = _manifest(r, locale)
        files |= {page_path(key, locale) + "index.html": page for key, page in pages.items()}
        files[f"{url_lang(locale)}/feed.xml"] = _feed(r, locale)
    files["index.html"] = _chooser(r)
    files["404.html"] = _not_found(r)
    files["sitemap.xml"] = _sitemap(r)
    files["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n".encode()
    return files


def print_pages(r: Renderer, op_id: str, guides: Mapping[str, GuideResult]) -> dict[str, bytes]:
    """An operator's guides on one page, in each script, from the guides' finished bodies."""
    if not r.operator_guides[op_id]:
        return {}
    key = f"{op_id}/{PRINT}"
    return {page_path(key, locale) + "index.html": _print(r, op_id, locale, guides) for locale in LOCALES}


def demote_headings(html: str) -> str:
    """A guide body a heading level down, without ids (they would clash between guides), for the printable page."""
    html = re.sub(r' id="[^"]*"', "", html)  # in our bodies only headings carry ids
    return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)


def static_files(templates: Path) -> dict[str, bytes]:
    """templates/static/* is copied to static/ in the output."""
    folder = templates / "static"
    if not folder.is_dir():
        return {}
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return {f"static/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in files}


def _home(r: Renderer, locale: str) -> bytes:
    site, text = r.site, r.site.text
    ops = [dict(name=op.name, summary=text(op.summary, locale), url=site.url(op.id, locale)) for op in site.operators]
    topics = [
        dict(title=text(t.title, locale), summary=text(t.summary, locale), url=site.url(t.id, locale))
        for t in site.content.topics
    ]
    ctx: dict[str, Any] = dict(operators=ops, topics=topics, description=text(site.config.description, locale))
    ctx["general"] = [r.guide_link(k, locale) for k, g in site.guides.items() if g.operator is None]
    return r.page("home.html", "", locale, text(site.config.title, locale), "site.yaml", **ctx)


def _operator(r: Renderer, op_id: str, locale: str) -> bytes:
    site, op, keys = r.site, r.site.content.operators[op_id], r.operator_guides[op_id]
    summary = site.text(op.summary, locale)
    ctx: dict[str, Any] = dict(operator=op, summary=summary, description=summary)
    ctx.update(facts=[r.fact_row(f, locale) for f in op.facts], guides=[r.guide_link(k, locale) for k in keys])
    ctx["print_url"] = site.url(f"{op_id}/{PRINT}", locale) if keys else None
    ctx["codes_url"] = site.url(f"{op_id}/{CODES}", locale) if r.codes[op_id] else None
    return r.page("operator.html", op_id, locale, op.name, f"operators/{op_id}.yaml", **ctx)


def _print(r: Renderer, op_id: str, locale: str, guides: Mapping[str, GuideResult]) -> bytes:
    """Every guide of an operator on one page: bodies only (sources and facts stay on each guide's page), for 14 KB."""
    site, op, keys = r.site, r.site.content.operators[op_id], r.operator_guides[op_id]
    sections = [
        r.guide_link(k, locale)
        | {"id": site.guides[k].slug, "body": Markup(demote_headings(dict(guides[k].bodies)[locale]))}
        for k in keys
    ]
    ctx: dict[str, Any] = dict(operator=op, sections=sections, description=site.text(op.summary, locale))
    ctx["converted"] = locale == HANT and any(site.guides[k].hant is None for k in keys)
    title = r.messages[locale].gettext("%(operator)s: all guides") % {"operator": op.name}
    return r.page("print.html", f"{op_id}/{PRINT}", locale, title, f"operators/{op_id}.yaml", **ctx)


def _codes(r: Renderer, op_id: str, locale: str) -> bytes:
    """Every code and number of one operator, grouped by task, on one printable sheet."""
    site, op = r.site, r.site.content.operators[op_id]
    groups = [(name, [r.fact_row(f, locale) for f in facts]) for name, facts in r.codes[op_id]]
    title = r.messages[locale].gettext("%(operator)s codes and numbers") % {"operator": op.name}
    ctx: dict[str, Any] = dict(operator=op, groups=groups, description=site.text(op.summary, locale))
    ctx["operator_url"] = site.url(op_id, locale)
    return r.page("codes.html", f"{op_id}/{CODES}", locale, title, f"operators/{op_id}.yaml", **ctx)


def _offline(r: Renderer, locale: str) -> bytes:
    """What the service worker shows for a page it does not hold: links to the pages it does."""
    site = r.site
    sections = [(op.name, [r.guide_link(k, locale) for k in r.operator_guides[op.id]]) for op in site.operators]
    general = [r.guide_link(k, locale) for k, g in site.guides.items() if g.operator is None]
    sections.append(("", general))  # the general guides, under no name
    title = r.messages[locale].gettext("You are offline")
    return r.page("offline.html", OFFLINE, locale, title, "site.yaml", sections=[s for s in sections if s[1]])


def _manifest(r: Renderer, locale: str) -> bytes:
    """The web app manifest of one script: the site can be added to the home screen and opens there."""
    site, base = r.site, r.site.config.base_path
    name = site.text(site.config.title, locale)
    data: dict[str, Any] = dict(name=name, short_name=name, lang=locale, start_url=site.url("", locale), scope=base)
    data.update(display="standalone", background_color="#ffffff", theme_color="#0b0c0c")
    data["icons"] = [{"src": f"{base}static/favicon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}]
    return json.dumps(data, ensure_ascii=False, indent=1).encode() + b"\n"


def _topic(r: Renderer, topic: Topic, locale: str) -> bytes:
    site, ops = r.site, r.site.operators
    rows = []
    for key in topic.facts:
        facts = [op.fact(key) for op in ops]
        label = next((site.text(f.label, locale) for f in facts if f and f.label), key)
        rows.append({"key": key, "label": label, "cells": [r.fact_row(f, locale) if f else None for f in facts]})
    keys = [f"{op.id}/{topic.id}" for op in ops]
    summary, title = site.text(topic.summary, locale), site.text(topic.title, locale)
    ctx: dict[str, Any] = dict(summary=summary, description=summary, rows=rows, operators=ops)
    ctx["guides"] = [r.guide_link(k, locale) if k in site.guides else None for k in keys]
    return r.page("topic.html", topic.id, locale, title, "topics.yaml", **ctx)


def _chooser(r: Renderer) -> bytes:
    site = r.site
    ctx: dict[str, Any] = r.common("", HANS, site.text(site.config.title, HANS)) | {"canonical": site.config.base_url}
    ctx["choices"] = [(loc, SCRIPT_NAMES[loc], site.url("", loc), site.text(site.config.title, loc)) for loc in LOCALES]
    return r.envs[HANS].get_template("chooser.html").render(ctx).encode()


def _not_found(r: Renderer) -> bytes:
    ctx: dict[str, Any] = r.common("", HANS, "404") | {"hant_": r.messages[HANT].gettext}
    ctx["homes"] = [(loc, r.site.url("", loc)) for loc in LOCALES]
    ctx["site_title_hant"] = r.site.text(r.site.config.title, HANT)
    return r.envs[HANS].get_template("404.html").render(ctx).encode()


def _sitemap(r: Renderer) -> bytes:
    """The chooser, then every page with content of its own in each script."""
    site, keys = r.site, [""]
    for op in site.operators:
        keys += [op.id] + ([f"{op.id}/{PRINT}"] if r.operator_guides[op.id] else [])
        keys += [f"{op.id}/{CODES}"] if r.codes[op.id] else []
    keys += [t.id for t in site.content.topics] + sorted(site.guides)
    pages = [("", None)] + [(k, loc) for loc in LOCALES for k in keys]
    alternates = {key: r.alternates(key) for key, _ in pages}  # once per page pair
    urls = [
        {"loc": site.url(k, loc, True) if loc else site.config.base_url, "alternates": alternates[k]}
        for k, loc in pages
    ]
    return r.envs[HANS].get_template("sitemap.xml").render(urls=urls).encode()


def _feed(r: Renderer, locale: str) -> bytes:
    site, absolute = r.site, partial(r.site.url, locale=locale, absolute=True)
    entries = [r.guide_link(k, locale) | {"id": absolute(k)} for k in site.guides]
    entries.sort(key=lambda e: (-e["updated"].toordinal(), e["id"]))
    title = site.text(site.config.title, locale)
    ctx: dict[str, Any] = dict(lang=locale, title=title, entries=entries, home=absolute(""))
    ctx.update(updated=max((e["updated"] for e in entries), default=None), self_url=absolute("") + "feed.xml")
    return r.envs[locale].get_template("feed.xml").render(ctx).encode()
