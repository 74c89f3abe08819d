"""Page contexts rendered with each locale's Jinja environment: what every page shares, and
a guide's page. The pages that list guides are in sitegen.site.pages."""

from __future__ import annotations

import datetime as dt
import json
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, TemplateError, TemplateSyntaxError
from markdown_it.token import Token
from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..model import HANS, HANT, LOCALES, Fact, Guide, next_check, page_path, url_lang
from ..text.markdown import LinkRef, render
from .assemble import SEARCH, Site
from .facts import fact_html
from .i18n import Messages, territory_name

SCRIPT_NAMES = {HANS: "简体中文", HANT: "繁體中文"}
OG_LOCALES = {HANS: "zh_CN", HANT: "zh_TW"}


@dataclass(frozen=True)
class Body:
    """A guide's body HTML in one script, and its contents list (id, text)."""

    locale: str
    html: str
    toc: tuple[tuple[str, str], ...]


def json_ld(graph: list[dict[str, Any]]) -> Markup:
    """JSON-LD safe inside <script>: '<' escaped so no '</script>' can appear."""
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


def fact_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts grouped by (source, dates), in order of first use: each source is named once."""
    groups: dict[tuple[str, Any, Any], dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            (row["source"], row["as_of"], row["checked"]),
            {key: row[key] for key in ("source", "source_allowed", "as_of", "checked", "due")}
            | {"history": False, "rows": []},
        )
        group["rows"].append(row)
    return list(groups.values())


class Renderer:
    """Renders pages to bytes. Holds nothing per page, so forked workers can share it."""

    def __init__(self, site: Site, envs: dict[str, Environment], messages: dict[str, Messages]) -> None:
        self.site, self.envs, self.messages = site, envs, messages
        self.site_wide = {locale: self._site_wide(locale) for locale in LOCALES}
        self.topic_titles = {
            locale: {t.id: site.text(t.title, locale) for t in site.content.topics} for locale in LOCALES
        }
        self.operator_guides = {op: site.operator_guides(op) for op in site.content.operators}

    # --- a guide ---------------------------------------------------------------------------

    def body(
        self, locale: str, tokens: Sequence[Token], toc: list[tuple[str, str]], text: Callable[[str], str], key: str
    ) -> Body:
        """A body in one script; text gives each text token in that script."""
        labels = {"warning": self.messages[locale].gettext("Warning"), "note": self.messages[locale].gettext("Note")}

        def url(link: LinkRef) -> str:
            page = self.site.by_src[link.source] if link.target else key
            return self.site.url(page, locale) + (f"#{link.anchor}" if link.anchor else "")

        env = {
            "text": text,
            "fact": lambda ref: self.fact(ref, locale, self.site.today),
            "url": url,
            "label": labels.__getitem__,
            "hant": locale == HANT,
        }
        return Body(locale, render(tokens, env), tuple(toc))

    def guide_page(self, guide: Guide, body: Body, facts: list[Fact]) -> tuple[str, bytes]:
        """(output path, bytes) of a guide's page in its body's script."""
        site, key, locale = self.site, guide.key, body.locale
        title, summary, converted = site.guide_meta(key, locale)
        crumbs = self.home_crumb(locale)
        if guide.operator:
            crumbs += ((site.content.operators[guide.operator].name, guide.operator),)
        edit = f"guides/{key}{'.zh-Hant' if locale == HANT and guide.hant else ''}.md"
        checked = min(
            [guide.hans.meta.checked or guide.hans.meta.updated] + [f.checked for f in facts if not f.history]
        )
        sources = (guide.hant.meta.sources if locale == HANT and guide.hant else ()) or guide.hans.meta.sources
        page = self.page(
            "guide.html",
            key,
            locale,
            title,
            edit,
            crumbs,
            summary=summary,
            description=summary,
            body=Markup(body.html),
            toc=list(body.toc),
            updated=guide.hans.meta.updated,
            review={"checked": checked, "next": next_check(checked)},
            sources=[(url, self.allowed(url)) for url in sources],
            converted=converted,
            guide=guide,
            og_type="article",
            facts=fact_groups([self.fact_row(f, locale) for f in facts]),
            siblings=self._siblings(guide, locale),
        )
        return page_path(key, locale) + "index.html", page

    def _siblings(self, guide: Guide, locale: str) -> dict[str, Any]:
        """Previous and next guide of the same operator, in topic order."""
        if guide.operator is None:
            return {"prev": None, "next": None}
        keys = self.operator_guides[guide.operator]
        i = keys.index(guide.key)
        return {
            "prev": self.guide_link(keys[i - 1], locale) if i > 0 else None,
            "next": self.guide_link(keys[i + 1], locale) if i + 1 < len(keys) else None,
        }

    # --- what every page has ------------------------------------------------------------------

    def page(
        self,
        template: str,
        key: str,
        locale: str,
        title: str,
        edit: str,
        crumbs: tuple[tuple[str, str], ...] = (),
        **extra: Any,
    ) -> bytes:
        """One HTML page; edit is its source path relative to content/, crumbs (name, key) pairs."""
        site = self.site
        ctx = self.common(key, locale, title) | extra
        ctx["breadcrumbs"] = [(name, site.url(k, locale)) for name, k in crumbs]
        ctx["feedback"] = self._feedback(edit, ctx)
        ctx["jsonld"] = json_ld(self._structured_data(key, locale, crumbs, ctx))
        return self.envs[locale].get_template(template).render(ctx).encode()

    def common(self, key: str, locale: str, title: str) -> dict[str, Any]:
        site, other = self.site, HANT if locale == HANS else HANS
        return self.site_wide[locale] | {
            "title": title,
            "canonical": site.url(key, locale, absolute=True),
            "alternates": self.alternates(key),
            "switch": {"url": site.url(key, other), "lang": other, "name": SCRIPT_NAMES[other]},
        }

    def _site_wide(self, locale: str) -> dict[str, Any]:
        """What every page of a locale has in common (copied, never changed, by each page)."""
        site, other = self.site, HANT if locale == HANS else HANS
        return {
            "lang": locale,
            "lang_url": url_lang(locale),
            "site_title": site.text(site.config.title, locale),
            "site_description": site.text(site.config.description, locale),
            "base_path": site.config.base_path,
            "home_url": site.url("", locale),
            "search_url": site.url(SEARCH, locale),
            "country": territory_name("AZ", locale),
            "converted": False,
            "description": "",
            "breadcrumbs": [],
            "guide": None,
            "feedback": None,
            "og_type": "website",
            "og_locale": OG_LOCALES[locale],
            "og_locale_alternate": OG_LOCALES[other],
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
        return {
            "edit": f"{repo}/edit/main/{quote('content/' + edit)}",
            "report": f"{repo}/issues/new?" + urlencode({"title": title, "body": body}, quote_via=quote),
        }

    def _structured_data(
        self, key: str, locale: str, crumbs: tuple[tuple[str, str], ...], ctx: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """schema.org: the breadcrumb trail, an Article for guides, the WebSite on home pages."""
        site, graph = self.site, []
        if not key:
            graph.append({"@type": "WebSite", "name": ctx["site_title"], "url": ctx["canonical"], "inLanguage": locale})
        if crumbs:
            trail = [(name, site.url(k, locale, absolute=True)) for name, k in crumbs]
            trail.append((ctx["title"], ctx["canonical"]))
            graph.append(
                {
                    "@type": "BreadcrumbList",
                    "itemListElement": [
                        {"@type": "ListItem", "position": i, "name": name, "item": url}
                        for i, (name, url) in enumerate(trail, 1)
                    ],
                }
            )
        if ctx.get("guide") is not None:
            graph.append(
                {
                    "@type": "Article",
                    "headline": ctx["title"],
                    "description": ctx["description"],
                    "dateModified": ctx["updated"].isoformat(),
                    "inLanguage": locale,
                    "mainEntityOfPage": ctx["canonical"],
                    "isPartOf": {
                        "@type": "WebSite",
                        "name": ctx["site_title"],
                        "url": site.url("", locale, absolute=True),
                    },
                }
            )
        return graph

    def alternates(self, key: str) -> list[tuple[str, str]]:
        """hreflang alternates; x-default is the chooser for home pages, zh-Hans otherwise."""
        site = self.site
        default = site.config.base_url if key == "" else site.url(key, HANS, absolute=True)
        return [(loc, site.url(key, loc, absolute=True)) for loc in LOCALES] + [("x-default", default)]

    # --- pieces of context pages share -------------------------------------------------------

    def home_crumb(self, locale: str) -> tuple[tuple[str, str], ...]:
        return ((self.site.text(self.site.config.title, locale), ""),)

    def guide_link(self, key: str, locale: str) -> dict[str, Any]:
        guide = self.site.guides[key]
        title, summary, _ = self.site.guide_meta(key, locale)
        return {
            "title": title,
            "summary": summary,
            "topic": self.topic_titles[locale].get(guide.topic or "", ""),
            "url": self.site.url(key, locale),
            "updated": guide.hans.meta.updated,
        }

    def fact(self, ref: str, locale: str, today: dt.date | None = None) -> Markup:
        """A fact's value; given today, with the day it was checked if it is due for a check."""
        fact = self.site.content.fact(ref)
        assert fact is not None  # unknown facts were reported before rendering
        return Markup(fact_html(fact, locale, self.messages[locale], today))

    def fact_row(self, fact: Fact, locale: str) -> dict[str, Any]:
        return {
            "label": self.site.text(fact.label, locale) or fact.key,
            "value": self.fact(fact.ref_key, locale),
            "note": self.site.text(fact.note, locale),
            "source": fact.source,
            "source_allowed": self.allowed(fact.source),
            "as_of": fact.as_of,
            "checked": fact.checked,
            "due": fact.due(self.site.today),
            "ref": fact.ref_key,
            "history": fact.history,
        }

    def allowed(self, url: str) -> bool:
        return self.site.allowed_host(urlsplit(url).hostname or "")


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
