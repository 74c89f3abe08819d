"""Jinja (StrictUndefined, autoescape) and the context of every page: the site as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .assemble import GuideDoc, Site, page_path
from .diagnostics import Report
from .facts import fact_html
from .i18n import Messages, format_date, format_manat, territory_name
from .lint import allowed_host
from .markdown import LinkRef, Renderer, convert_tokens
from .model import HANS, HANT, LOCALES, Fact, url_lang

SCRIPT_NAMES = {HANS: "简体中文", HANT: "繁體中文"}


def make_env(templates: Path, messages: Messages) -> Environment:
    """One environment per locale, its gettext bound to that locale's catalog."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(messages.gettext, messages.ngettext, newstyle=True)  # type: ignore[attr-defined]
    locale = messages.locale
    env.filters["date"] = lambda value: format_date(value, locale)
    env.filters["manat"] = lambda value: format_manat(value, locale)
    env.filters["host"] = lambda url: url.split("://", 1)[-1].rstrip("/")
    return env


class SiteRenderer:
    """Turns the assembled site into {output path: bytes}."""

    def __init__(self, site: Site, envs: dict[str, Environment], messages: dict[str, Messages],
                 report: Report) -> None:
        self.site, self.envs, self.messages, self.report = site, envs, messages, report
        self.bodies: dict[tuple[str, str], tuple[str, list[tuple[str, str]]]] = {}
        self.files: dict[str, bytes] = {}
        self.pages: list[tuple[str, str]] = []  # (key, locale) of every HTML page, for the sitemap

    # --- the whole site -------------------------------------------------------------------

    def render(self) -> dict[str, bytes]:
        for doc in self.site.docs.values():
            self._render_bodies(doc)
        for locale in LOCALES:
            self._home(locale)
            for op in self.site.content.operators.values():
                self._operator(op.id, locale)
            for topic in self.site.content.topics:
                self._topic(topic.id, locale)
            for key in self.site.docs:
                self._guide(key, locale)
            self._feed(locale)
        self._chooser()
        self._not_found()
        self._sitemap()
        self.files["robots.txt"] = (f"User-agent: *\nAllow: /\n\n"
                                    f"Sitemap: {self.site.config.base_url}sitemap.xml\n").encode()
        return self.files

    # --- bodies -------------------------------------------------------------------------------

    def _render_bodies(self, doc: GuideDoc) -> None:
        key = doc.guide.key
        hans_toc = [(hid, text) for level, hid, text in doc.hans.headings if level == 2]
        self.bodies[(key, HANS)] = (self._renderer(HANS).render(doc.hans.tokens), hans_toc)
        if doc.hant is not None:
            toc = [(hid, text) for level, hid, text in doc.hant.headings if level == 2]
            self.bodies[(key, HANT)] = (self._renderer(HANT).render(doc.hant.tokens), toc)
            return
        convert_tokens(doc.hans.tokens, self.site.converter.convert_many)
        texts = self.site.converter.convert_many([t for _, t in hans_toc])
        toc = [(hid, text) for (hid, _), text in zip(hans_toc, texts)]
        self.bodies[(key, HANT)] = (self._renderer(HANT).render(doc.hans.tokens), toc)

    def _renderer(self, locale: str) -> Renderer:
        messages = self.messages[locale]

        def link_url(link: LinkRef) -> str:
            url = self.site.url(link.token.meta["page"], locale)
            return url + (f"#{link.anchor}" if link.anchor else "")

        labels = {"warning": messages.gettext("Warning"), "note": messages.gettext("Note")}
        return Renderer(locale == HANT, lambda ref: self.fact(ref, locale), link_url, labels.__getitem__)

    def fact(self, ref: str, locale: str) -> Markup:
        fact = self.site.content.fact(ref)
        assert fact is not None  # unknown facts were reported before rendering
        return Markup(fact_html(fact, locale, self.messages[locale]))

    # --- pages -------------------------------------------------------------------------------

    def _page(self, template: str, key: str, locale: str, title: str, **extra: Any) -> None:
        ctx = self._common(key, locale, title) | extra
        html = self.envs[locale].get_template(template).render(ctx)
        self.files[page_path(key, locale) + "index.html"] = html.encode()
        self.pages.append((key, locale))

    def _common(self, key: str, locale: str, title: str) -> dict[str, Any]:
        site, other = self.site, HANT if locale == HANS else HANS
        return {
            "lang": locale, "lang_url": url_lang(locale), "title": title,
            "site_title": site.text(site.config.title, locale),
            "site_description": site.text(site.config.description, locale),
            "base_path": site.config.base_path,
            "home_url": site.url("", locale),
            "canonical": site.url(key, locale, absolute=True),
            "alternates": self._alternates(key),
            "switch": {"url": site.url(key, other), "lang": other, "name": SCRIPT_NAMES[other]},
            "country": territory_name("AZ", locale),
            "converted": False, "description": "",
            "breadcrumbs": [], "guide": None,
        }

    def _alternates(self, key: str) -> list[tuple[str, str]]:
        """hreflang alternates; x-default is the chooser for home pages, zh-Hans otherwise."""
        site = self.site
        default = site.config.base_url if key == "" else site.url(key, HANS, absolute=True)
        return [(loc, site.url(key, loc, absolute=True)) for loc in LOCALES] + [("x-default", default)]

    def _home(self, locale: str) -> None:
        site = self.site
        ops = [self._operator_link(op.id, locale) for op in site.content.operators.values()]
        topics = [{"title": site.text(t.title, locale), "summary": site.text(t.summary, locale),
                   "url": site.url(t.id, locale)} for t in site.content.topics]
        general = [self._guide_link(k, locale) for k, d in self._ordered_docs() if d.guide.operator is None]
        self._page("home.html", "", locale, site.text(site.config.title, locale),
                   operators=ops, topics=topics, general=general,
                   description=site.text(site.config.description, locale))

    def _operator(self, op_id: str, locale: str) -> None:
        site = self.site
        op = site.content.operators[op_id]
        guides = [self._guide_link(k, locale) for k, d in self._ordered_docs() if d.guide.operator == op_id]
        self._page("operator.html", op_id, locale, op.name, operator=op,
                   summary=site.text(op.summary, locale), description=site.text(op.summary, locale),
                   facts=[self._fact_row(f, locale) for f in op.facts.values()], guides=guides,
                   breadcrumbs=[(site.text(site.config.title, locale), site.url("", locale))])

    def _topic(self, topic_id: str, locale: str) -> None:
        site = self.site
        topic = next(t for t in site.content.topics if t.id == topic_id)
        ops = list(site.content.operators.values())
        rows = []
        for key in topic.facts:
            facts = [op.facts.get(key) for op in ops]
            label = next((site.text(f.label, locale) for f in facts if f and f.label), key)
            rows.append({"label": label, "cells": [self._fact_row(f, locale) if f else None for f in facts]})
        guides = [self._guide_link(f"{op.id}/{topic_id}", locale) if f"{op.id}/{topic_id}" in site.docs
                  else None for op in ops]
        self._page("topic.html", topic_id, locale, site.text(topic.title, locale),
                   summary=site.text(topic.summary, locale), description=site.text(topic.summary, locale),
                   operators=ops, rows=rows, guides=guides,
                   breadcrumbs=[(site.text(site.config.title, locale), site.url("", locale))])

    def _guide(self, key: str, locale: str) -> None:
        site, doc = self.site, self.site.docs[key]
        source = doc.guide.hant if locale == HANT and doc.guide.hant else doc.guide.hans
        meta = source.meta
        converted = locale == HANT and doc.guide.hant is None
        title, summary = self._meta_text(meta.title, locale, converted), self._meta_text(meta.summary, locale, converted)
        body, toc = self.bodies[(key, locale)]
        crumbs = [(site.text(site.config.title, locale), site.url("", locale))]
        if doc.guide.operator:
            crumbs.append((site.content.operators[doc.guide.operator].name, site.url(doc.guide.operator, locale)))
        self._page("guide.html", key, locale, title, summary=summary, description=summary,
                   body=Markup(body), toc=toc, updated=doc.guide.hans.meta.updated,
                   sources=[(url, allowed_host(urlsplit(url).hostname or "", site))
                            for url in meta.sources or doc.guide.hans.meta.sources],
                   converted=converted, breadcrumbs=crumbs, guide=doc.guide,
                   facts=[self._fact_row(f, locale) for f in self._facts_of(doc)],
                   siblings=self._siblings(doc, locale))

    def _meta_text(self, text: str, locale: str, converted: bool) -> str:
        return self.site.converter.convert(text) if converted else text

    def _facts_of(self, doc: GuideDoc) -> list[Fact]:
        refs = dict.fromkeys(ref for _, ref in doc.hans.facts)
        facts = [self.site.content.fact(ref) for ref in refs]
        return [f for f in facts if f is not None]

    def _siblings(self, doc: GuideDoc, locale: str) -> dict[str, Any]:
        """Previous and next guide of the same operator, in topic order."""
        if doc.guide.operator is None:
            return {"prev": None, "next": None}
        keys = [k for k, d in self._ordered_docs() if d.guide.operator == doc.guide.operator]
        i = keys.index(doc.guide.key)
        return {"prev": self._guide_link(keys[i - 1], locale) if i > 0 else None,
                "next": self._guide_link(keys[i + 1], locale) if i + 1 < len(keys) else None}

    # --- shared pieces of context ------------------------------------------------------------

    def _ordered_docs(self) -> list[tuple[str, GuideDoc]]:
        topic_order = {t.id: i for i, t in enumerate(self.site.content.topics)}
        return sorted(self.site.docs.items(), key=lambda kv: (
            kv[1].guide.operator or "", topic_order.get(kv[1].guide.topic or "", 0),
            kv[1].guide.hans.meta.order, kv[0]))

    def _guide_link(self, key: str, locale: str) -> dict[str, Any]:
        doc = self.site.docs[key]
        source = doc.guide.hant if locale == HANT and doc.guide.hant else doc.guide.hans
        converted = locale == HANT and doc.guide.hant is None
        topic = next((t for t in self.site.content.topics if t.id == doc.guide.topic), None)
        return {"title": self._meta_text(source.meta.title, locale, converted),
                "summary": self._meta_text(source.meta.summary, locale, converted),
                "topic": self.site.text(topic.title, locale) if topic else "",
                "url": self.site.url(key, locale), "updated": doc.guide.hans.meta.updated}

    def _operator_link(self, op_id: str, locale: str) -> dict[str, Any]:
        op = self.site.content.operators[op_id]
        return {"name": op.name, "summary": self.site.text(op.summary, locale),
                "url": self.site.url(op_id, locale)}

    def _fact_row(self, fact: Fact, locale: str) -> dict[str, Any]:
        return {"label": self.site.text(fact.label, locale) or fact.key,
                "value": self.fact(fact.ref_key, locale), "note": self.site.text(fact.note, locale),
                "source": fact.source, "source_allowed": allowed_host(urlsplit(fact.source).hostname or "", self.site),
                "verified": fact.verified, "ref": fact.ref_key, "history": fact.history}

    # --- files that are not pages ------------------------------------------------------------

    def _chooser(self) -> None:
        ctx = self._common("", HANS, self.site.text(self.site.config.title, HANS))
        ctx |= {"canonical": self.site.config.base_url,
                "choices": [(loc, SCRIPT_NAMES[loc], self.site.url("", loc),
                             self.site.text(self.site.config.title, loc)) for loc in LOCALES],
                "alternates": self._alternates("")}
        self.files["index.html"] = self.envs[HANS].get_template("chooser.html").render(ctx).encode()

    def _not_found(self) -> None:
        ctx = self._common("", HANS, "404")
        ctx |= {"hant_": self.messages[HANT].gettext,
                "homes": [(loc, self.site.url("", loc)) for loc in LOCALES],
                "site_title_hant": self.site.text(self.site.config.title, HANT)}
        self.files["404.html"] = self.envs[HANS].get_template("404.html").render(ctx).encode()

    def _sitemap(self) -> None:
        urls = [{"loc": self.site.config.base_url, "alternates": self._alternates("")}]
        urls += [{"loc": self.site.url(key, loc, absolute=True), "alternates": self._alternates(key)}
                 for key, loc in self.pages]
        xml = self.envs[HANS].get_template("sitemap.xml").render(urls=urls)
        self.files["sitemap.xml"] = xml.encode()

    def _feed(self, locale: str) -> None:
        site = self.site
        entries = sorted((self._guide_link(k, locale) | {"id": site.url(k, locale, absolute=True)}
                          for k in site.docs), key=lambda e: (-e["updated"].toordinal(), e["id"]))
        updated = max((e["updated"] for e in entries), default=None)
        xml = self.envs[locale].get_template("feed.xml").render(
            lang=locale, title=site.text(site.config.title, locale), entries=entries, updated=updated,
            self_url=site.config.base_url + f"{url_lang(locale)}/feed.xml",
            home=site.url("", locale, absolute=True))
        self.files[f"{url_lang(locale)}/feed.xml"] = xml.encode()


def static_files(templates: Path) -> dict[str, bytes]:
    """templates/static/* is copied to static/ in the output."""
    folder = templates / "static"
    if not folder.is_dir():
        return {}
    return {f"static/{p.relative_to(folder).as_posix()}": p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


