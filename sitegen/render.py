"""The context of every page, rendered with the locale's Jinja environment: the site as files."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, TemplateError, TemplateSyntaxError
from markupsafe import Markup

from .assemble import PRINT, SEARCH, Site, page_path
from .diagnostics import Diagnostic
from .facts import fact_html
from .i18n import Messages, territory_name
from .markdown import LinkRef, Parsed, Renderer, convert_tokens
from .model import HANS, HANT, LOCALES, Fact, Guide, next_check, url_lang

SCRIPT_NAMES = {HANS: "简体中文", HANT: "繁體中文"}
OG_LOCALES = {HANS: "zh_CN", HANT: "zh_TW"}


def json_ld(graph: list[dict[str, Any]]) -> Markup:
    """JSON-LD safe inside <script>: '<' escaped so no '</script>' can appear."""
    data = {"@context": "https://schema.org", "@graph": graph}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return Markup(text.replace("<", "\\u003c"))


def demote_headings(html: str) -> str:
    """A guide body one heading level down and without heading ids (they would clash between
    guides, and nothing links to them), for the page that holds every guide of an operator."""
    html = re.sub(r' id="[^"]*"', "", html)  # in our bodies only headings carry ids
    return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)


def scope_table_headers(html: str) -> str:
    """Markdown tables put <th> only in the header row: give them scope=col."""
    return re.sub(r"<th(?=[ >])(?![^>]*\bscope=)", '<th scope="col"', html)


def fact_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts grouped by (source, date checked), in order of first use: each source is named once."""
    groups: dict[tuple[str, Any, Any], dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault((row["source"], row["as_of"], row["checked"]), {
            key: row[key] for key in ("source", "source_allowed", "as_of", "checked", "due")
        } | {"history": False, "rows": []})
        group["rows"].append(row)
    return list(groups.values())


class SiteRenderer:
    """Renders pages to bytes: a guide's two pages (in any process), the pages that list guides
    (from front matter alone) and the printable ones (from the bodies). Holds nothing per page,
    so forked workers can share it."""

    def __init__(self, site: Site, envs: dict[str, Environment], messages: dict[str, Messages]) -> None:
        self.site, self.envs, self.messages = site, envs, messages

    # --- the pages of one guide -----------------------------------------------------------

    def guide_pages(self, guide: Guide, hans: Parsed, hant: Parsed | None) -> tuple[dict[str, bytes], dict[str, str]]:
        """({output path: bytes}, {locale: body HTML}) of one guide; zh-Hant is converted from the
        zh-Hans tokens unless a hand-written parse is given."""
        hans_toc = [(hid, text) for level, hid, text in hans.headings if level == 2]
        bodies = {HANS: self._body(HANS, hans.tokens)}
        tocs = {HANS: hans_toc}
        facts = self._facts_of(hans)
        if hant is not None:
            # heading ids were aligned to the zh-Hans source after parsing: take them from heading_ids
            tocs[HANT] = [(hid, text) for (level, _, text), hid in zip(hant.headings, hant.heading_ids)
                          if level == 2]
            bodies[HANT] = self._body(HANT, hant.tokens)
        else:
            toc_texts: list[str] = []

            def convert_with_toc(texts: list[str]) -> list[str]:  # one OpenCC call per guide
                done = self.site.converter.convert_many(texts + [t for _, t in hans_toc])
                toc_texts.extend(done[len(texts):])
                return done[:len(texts)]

            convert_tokens(hans.tokens, convert_with_toc)
            tocs[HANT] = [(hid, text) for (hid, _), text in zip(hans_toc, toc_texts)]
            bodies[HANT] = self._body(HANT, hans.tokens)
        pages = {page_path(guide.key, loc) + "index.html": self._guide(guide, loc, bodies[loc], tocs[loc], facts)
                 for loc in LOCALES}
        return pages, bodies

    # --- pages that list guides -------------------------------------------------------------

    def listing_pages(self) -> dict[str, bytes]:
        """Every page but the guides' and the printable ones: front matter is all they need."""
        files: dict[str, bytes] = {}
        for locale in LOCALES:
            files[page_path("", locale) + "index.html"] = self._home(locale)
            for op in self.site.content.operators.values():
                files[page_path(op.id, locale) + "index.html"] = self._operator(op.id, locale)
            for topic in self.site.content.topics:
                files[page_path(topic.id, locale) + "index.html"] = self._topic(topic.id, locale)
            files[page_path(SEARCH, locale) + "index.html"] = self._search(locale)
            files[f"{url_lang(locale)}/feed.xml"] = self._feed(locale)
        files["index.html"] = self._chooser()
        files["404.html"] = self._not_found()
        files["sitemap.xml"] = self._sitemap()
        files["robots.txt"] = (f"User-agent: *\nAllow: /\n\n"
                               f"Sitemap: {self.site.config.base_url}sitemap.xml\n").encode()
        return files

    def print_pages(self, op_id: str, bodies: dict[str, dict[str, str]]) -> dict[str, bytes]:
        """An operator's guides on one page, in each script; bodies: {key: {locale: body}}."""
        if not self._print_keys(op_id):
            return {}
        return {page_path(f"{op_id}/{PRINT}", locale) + "index.html": self._print(op_id, locale, bodies)
                for locale in LOCALES}

    def _sitemap_keys(self) -> list[tuple[str, str]]:
        """(key, locale) of every page with content of its own, in the sitemap's order."""
        keys: list[tuple[str, str]] = []
        for locale in LOCALES:
            keys.append(("", locale))
            for op in self.site.content.operators.values():
                keys.append((op.id, locale))
                if self._print_keys(op.id):
                    keys.append((f"{op.id}/{PRINT}", locale))
            keys += [(topic.id, locale) for topic in self.site.content.topics]
            keys += [(key, locale) for key in self.site.guides]
        return keys

    def _body(self, locale: str, tokens: Any) -> str:
        return scope_table_headers(self._renderer(locale).render(tokens))

    @functools.cache  # noqa: B019 (one renderer per locale for the life of this SiteRenderer)
    def _renderer(self, locale: str) -> Renderer:
        messages = self.messages[locale]

        def link_url(link: LinkRef) -> str:
            url = self.site.url(link.token.meta["page"], locale)
            return url + (f"#{link.anchor}" if link.anchor else "")

        labels = {"warning": messages.gettext("Warning"), "note": messages.gettext("Note")}
        return Renderer(locale == HANT, lambda ref: self.fact(ref, locale, self.site.today), link_url,
                        labels.__getitem__)

    def fact(self, ref: str, locale: str, today: dt.date | None = None) -> Markup:
        """A fact's value; given today, with the day it was checked if it is due for a check."""
        fact = self.site.content.fact(ref)
        assert fact is not None  # unknown facts were reported before rendering
        return Markup(fact_html(fact, locale, self.messages[locale], today))

    # --- pages -------------------------------------------------------------------------------

    def _page(self, template: str, key: str, locale: str, title: str, edit: str,
              crumbs: tuple[tuple[str, str], ...] = (), **extra: Any) -> bytes:
        """One HTML page; edit is its source path relative to content/, crumbs (name, key) pairs."""
        site = self.site
        ctx = self._common(key, locale, title) | extra
        ctx["breadcrumbs"] = [(name, site.url(k, locale)) for name, k in crumbs]
        ctx["feedback"] = self._feedback(edit, ctx)
        ctx["jsonld"] = json_ld(self._structured_data(key, locale, crumbs, ctx))
        return self.envs[locale].get_template(template).render(ctx).encode()

    def _common(self, key: str, locale: str, title: str) -> dict[str, Any]:
        site, other = self.site, HANT if locale == HANS else HANS
        return self._site_wide(locale) | {
            "title": title,
            "canonical": site.url(key, locale, absolute=True),
            "alternates": self._alternates(key),
            "switch": {"url": site.url(key, other), "lang": other, "name": SCRIPT_NAMES[other]},
        }

    @functools.cache  # noqa: B019 (the same for every page of a locale while the site is rendered)
    def _site_wide(self, locale: str) -> dict[str, Any]:
        """What every page of a locale has in common (copied, never changed, by each page)."""
        site, other = self.site, HANT if locale == HANS else HANS
        return {
            "lang": locale, "lang_url": url_lang(locale),
            "site_title": site.text(site.config.title, locale),
            "site_description": site.text(site.config.description, locale),
            "base_path": site.config.base_path,
            "home_url": site.url("", locale),
            "search_url": site.url(SEARCH, locale),
            "country": territory_name("AZ", locale),
            "converted": False, "description": "",
            "breadcrumbs": [], "guide": None, "feedback": None,
            "og_type": "website", "og_locale": OG_LOCALES[locale], "og_locale_alternate": OG_LOCALES[other],
        }

    def _feedback(self, edit: str, ctx: dict[str, Any]) -> dict[str, str] | None:
        """'Edit this page' and 'report a mistake' links, when site.yaml names the repository."""
        repo = self.site.config.repo_url
        if not repo:
            return None
        repo, gettext = repo.rstrip("/"), self.messages[ctx["lang"]].gettext
        # kept short: percent-encoded Chinese costs 9 bytes a character on every page
        title = gettext("Mistake on the page %(title)s") % {"title": ctx["title"]}
        body = gettext("Page: %(url)s") % {"url": ctx["canonical"]}
        return {"edit": f"{repo}/edit/main/{quote('content/' + edit)}",
                "report": f"{repo}/issues/new?" + urlencode({"title": title, "body": body}, quote_via=quote)}

    def _structured_data(self, key: str, locale: str, crumbs: tuple[tuple[str, str], ...],
                         ctx: dict[str, Any]) -> list[dict[str, Any]]:
        """schema.org: the breadcrumb trail, an Article for guides, the WebSite on home pages."""
        site, graph = self.site, []
        if not key:
            graph.append({"@type": "WebSite", "name": ctx["site_title"], "url": ctx["canonical"],
                          "inLanguage": locale})
        if crumbs:
            trail = [(name, site.url(k, locale, absolute=True)) for name, k in crumbs]
            trail.append((ctx["title"], ctx["canonical"]))
            graph.append({"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": i, "name": name, "item": url}
                for i, (name, url) in enumerate(trail, 1)]})
        if ctx.get("guide") is not None:
            graph.append({"@type": "Article", "headline": ctx["title"], "description": ctx["description"],
                          "dateModified": ctx["updated"].isoformat(), "inLanguage": locale,
                          "mainEntityOfPage": ctx["canonical"],
                          "isPartOf": {"@type": "WebSite", "name": ctx["site_title"],
                                       "url": site.url("", locale, absolute=True)}})
        return graph

    def _alternates(self, key: str) -> list[tuple[str, str]]:
        """hreflang alternates; x-default is the chooser for home pages, zh-Hans otherwise."""
        site = self.site
        default = site.config.base_url if key == "" else site.url(key, HANS, absolute=True)
        return [(loc, site.url(key, loc, absolute=True)) for loc in LOCALES] + [("x-default", default)]

    def _home(self, locale: str) -> bytes:
        site = self.site
        ops = [self._operator_link(op.id, locale) for op in site.content.operators.values()]
        topics = [{"title": site.text(t.title, locale), "summary": site.text(t.summary, locale),
                   "url": site.url(t.id, locale)} for t in site.content.topics]
        general = [self._guide_link(k, locale) for k in self.site.ordered_keys
                   if self.site.guides[k].operator is None]
        return self._page("home.html", "", locale, site.text(site.config.title, locale), "site.yaml",
                   operators=ops, topics=topics, general=general,
                   description=site.text(site.config.description, locale))

    def _operator(self, op_id: str, locale: str) -> bytes:
        site = self.site
        op = site.content.operators[op_id]
        guides = [self._guide_link(k, locale) for k in self._print_keys(op_id)]
        print_url = site.url(f"{op_id}/{PRINT}", locale) if self._print_keys(op_id) else None
        return self._page("operator.html", op_id, locale, op.name, f"operators/{op_id}.yaml", self._home_crumb(locale),
                   operator=op, summary=site.text(op.summary, locale), description=site.text(op.summary, locale),
                   facts=[self._fact_row(f, locale) for f in op.facts.values()], guides=guides,
                   print_url=print_url)

    def _home_crumb(self, locale: str) -> tuple[tuple[str, str], ...]:
        return ((self.site.text(self.site.config.title, locale), ""),)

    @functools.cache  # noqa: B019 (asked for by every page of the operator and each of its guides)
    def _print_keys(self, op_id: str) -> list[str]:
        """The operator's guides in topic order; no printable page without guides."""
        return [k for k in self.site.ordered_keys if self.site.guides[k].operator == op_id]

    def _print(self, op_id: str, locale: str, bodies: dict[str, dict[str, str]]) -> bytes:
        """Every guide of one operator on one page, for printing or reading offline."""
        site, op = self.site, self.site.content.operators[op_id]
        # Bodies only: sources and facts stay on each guide's page, which every section links to,
        # so that four guides still load within the 14 KB budget on roaming data.
        sections: list[dict[str, Any]] = []
        converted = False
        for key in self._print_keys(op_id):
            guide = site.guides[key]
            body = demote_headings(bodies[key][locale])
            sections.append(self._guide_link(key, locale) | {"id": guide.slug, "body": Markup(body)})
            converted = converted or (locale == HANT and guide.hant is None)
        title = self.messages[locale].gettext("%(operator)s: all guides") % {"operator": op.name}
        return self._page("print.html", f"{op_id}/{PRINT}", locale, title, f"operators/{op_id}.yaml",
                   self._home_crumb(locale) + ((op.name, op_id),), operator=op, sections=sections,
                   description=site.text(op.summary, locale), converted=converted)

    def _search(self, locale: str) -> bytes:
        title = self.messages[locale].gettext("Search")
        return self._page("search.html", SEARCH, locale, title, "site.yaml", self._home_crumb(locale))

    def _topic(self, topic_id: str, locale: str) -> bytes:
        site = self.site
        topic = next(t for t in site.content.topics if t.id == topic_id)
        ops = list(site.content.operators.values())
        rows = []
        for key in topic.facts:
            facts = [op.facts.get(key) for op in ops]
            label = next((site.text(f.label, locale) for f in facts if f and f.label), key)
            rows.append({"key": key, "label": label, "cells": [self._fact_row(f, locale) if f else None for f in facts]})
        guides = [self._guide_link(f"{op.id}/{topic_id}", locale) if f"{op.id}/{topic_id}" in site.guides
                  else None for op in ops]
        return self._page("topic.html", topic_id, locale, site.text(topic.title, locale), "topics.yaml",
                   self._home_crumb(locale), summary=site.text(topic.summary, locale),
                   description=site.text(topic.summary, locale), operators=ops, rows=rows, guides=guides)

    def _guide(self, guide: Guide, locale: str, body: str, toc: list[tuple[str, str]],
               facts: list[Fact]) -> bytes:
        site, key = self.site, guide.key
        title, summary, converted = site.guide_meta(key, locale)
        crumbs = self._home_crumb(locale)
        if guide.operator:
            crumbs += ((site.content.operators[guide.operator].name, guide.operator),)
        hand_written = locale == HANT and guide.hant is not None
        edit = f"guides/{key}{'.zh-Hant' if hand_written else ''}.md"
        checked = min([guide.hans.meta.checked or guide.hans.meta.updated]
                      + [f.checked for f in facts if not f.history])
        return self._page("guide.html", key, locale, title, edit, crumbs, summary=summary, description=summary,
                          body=Markup(body), toc=toc, updated=guide.hans.meta.updated,
                          review={"checked": checked, "next": next_check(checked)},
                          sources=[(url, self._allowed(url)) for url in self._sources_of(guide, locale)],
                          converted=converted, guide=guide, og_type="article",
                          facts=fact_groups([self._fact_row(f, locale) for f in facts]),
                          siblings=self._siblings(guide, locale))

    def _sources_of(self, guide: Guide, locale: str) -> tuple[str, ...]:
        """A guide's front matter sources; a hand-written zh-Hant file may list its own."""
        hant = guide.hant if locale == HANT else None
        return (hant.meta.sources if hant else ()) or guide.hans.meta.sources

    def _allowed(self, url: str) -> bool:
        return self.site.allowed_host(urlsplit(url).hostname or "")

    def _facts_of(self, parsed: Parsed) -> list[Fact]:
        refs = dict.fromkeys(ref for _, ref in parsed.facts)
        facts = [self.site.content.fact(ref) for ref in refs]
        return [f for f in facts if f is not None]

    def neighbours(self, guide: Guide) -> list[dict[str, Any]]:
        """What a guide's pages show of other guides (its previous and next), in each script."""
        return [self._siblings(guide, locale) for locale in LOCALES]

    def _siblings(self, guide: Guide, locale: str) -> dict[str, Any]:
        """Previous and next guide of the same operator, in topic order."""
        if guide.operator is None:
            return {"prev": None, "next": None}
        keys = self._print_keys(guide.operator)
        i = keys.index(guide.key)
        return {"prev": self._guide_link(keys[i - 1], locale) if i > 0 else None,
                "next": self._guide_link(keys[i + 1], locale) if i + 1 < len(keys) else None}

    # --- shared pieces of context ------------------------------------------------------------

    def _guide_link(self, key: str, locale: str) -> dict[str, Any]:
        guide = self.site.guides[key]
        title, summary, _ = self.site.guide_meta(key, locale)
        return {"title": title, "summary": summary, "topic": self._topic_titles(locale).get(guide.topic, ""),
                "url": self.site.url(key, locale), "updated": guide.hans.meta.updated}

    @functools.cache  # noqa: B019 (the site does not change while it is rendered)
    def _topic_titles(self, locale: str) -> dict[str | None, str]:
        return {t.id: self.site.text(t.title, locale) for t in self.site.content.topics}

    def _operator_link(self, op_id: str, locale: str) -> dict[str, Any]:
        op = self.site.content.operators[op_id]
        return {"name": op.name, "summary": self.site.text(op.summary, locale),
                "url": self.site.url(op_id, locale)}

    def _fact_row(self, fact: Fact, locale: str) -> dict[str, Any]:
        return {"label": self.site.text(fact.label, locale) or fact.key,
                "value": self.fact(fact.ref_key, locale), "note": self.site.text(fact.note, locale),
                "source": fact.source, "source_allowed": self._allowed(fact.source),
                "as_of": fact.as_of, "checked": fact.checked, "due": fact.due(self.site.today),
                "ref": fact.ref_key, "history": fact.history}

    # --- files that are not pages ------------------------------------------------------------

    def _chooser(self) -> bytes:
        ctx = self._common("", HANS, self.site.text(self.site.config.title, HANS))
        ctx |= {"canonical": self.site.config.base_url,
                "choices": [(loc, SCRIPT_NAMES[loc], self.site.url("", loc),
                             self.site.text(self.site.config.title, loc)) for loc in LOCALES],
                "alternates": self._alternates("")}
        return self.envs[HANS].get_template("chooser.html").render(ctx).encode()

    def _not_found(self) -> bytes:
        ctx = self._common("", HANS, "404")
        ctx |= {"hant_": self.messages[HANT].gettext,
                "homes": [(loc, self.site.url("", loc)) for loc in LOCALES],
                "site_title_hant": self.site.text(self.site.config.title, HANT)}
        return self.envs[HANS].get_template("404.html").render(ctx).encode()

    def _sitemap(self) -> bytes:
        urls = [{"loc": self.site.config.base_url, "alternates": self._alternates("")}]
        pages = self._sitemap_keys()
        alternates = {key: self._alternates(key) for key, _ in pages}  # once per page pair
        urls += [{"loc": self.site.url(key, loc, absolute=True), "alternates": alternates[key]}
                 for key, loc in pages]
        return self.envs[HANS].get_template("sitemap.xml").render(urls=urls).encode()

    def _feed(self, locale: str) -> bytes:
        site = self.site
        entries = sorted((self._guide_link(k, locale) | {"id": site.url(k, locale, absolute=True)}
                          for k in site.guides), key=lambda e: (-e["updated"].toordinal(), e["id"]))
        updated = max((e["updated"] for e in entries), default=None)
        return self.envs[locale].get_template("feed.xml").render(
            lang=locale, title=site.text(site.config.title, locale), entries=entries, updated=updated,
            self_url=site.config.base_url + f"{url_lang(locale)}/feed.xml",
            home=site.url("", locale, absolute=True)).encode()


def template_diagnostic(err: TemplateError, root: Path) -> Diagnostic:
    """A template error as `templates/x.html:line: template: ...`: syntax errors say where,
    runtime ones are found in the traceback."""
    folder = str((root / "templates").resolve())
    path, line = Path(folder), 1
    if isinstance(err, TemplateSyntaxError) and err.filename:
        path, line = Path(err.filename), err.lineno
    else:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(folder)]
        if frames:
            path, line = Path(frames[-1].filename), frames[-1].lineno or 1
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = path.as_posix()
    return Diagnostic(name, line, f"template: {err.message}; fix the template")


def static_files(templates: Path) -> dict[str, bytes]:
    """templates/static/* is copied to static/ in the output."""
    folder = templates / "static"
    if not folder.is_dir():
        return {}
    return {f"static/{p.relative_to(folder).as_posix()}": p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


