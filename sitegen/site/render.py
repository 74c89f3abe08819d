"""The Jinja environment of each locale (StrictUndefined, autoescape, its catalog's gettext) and the page
contexts: what every page shares, and a guide's page (the pages that list guides are in sitegen.site.pages)."""

from __future__ import annotations

import functools
import json
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError, select_autoescape
from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..model import HANS, HANT, LOCALES, Fact, Guide, next_check, page_path, url_lang
from ..text.markdown import LinkRef, Parsed, render
from .assemble import CODES, SEARCH, Site
from .facts import code_groups, fact_html
from .i18n import Messages, babel_data, format_date

SCRIPT_NAMES = {HANS: "简体中文", HANT: "繁體中文"}
OG_LOCALES = {HANS: "zh_CN", HANT: "zh_TW"}
Crumbs = tuple[tuple[str, str], ...]  # (name, page key) of the pages above a page


@functools.lru_cache(maxsize=64)
def minify_css(css: str) -> str:
    """Comments and layout whitespace out of our own stylesheet (not a general CSS minifier)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    css = re.sub(r"([^0-9\s]):\s+", r"\1:", css)
    return css.replace(";}", "}").strip()


def make_env(templates: Path, messages: Messages) -> Environment:
    """One environment per locale, its gettext bound to its catalog; serve makes new ones when templates change."""
    loader, escape = FileSystemLoader(str(templates)), select_autoescape(["html", "xml"], default_for_string=True)
    options: dict[str, Any] = dict(keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    options.update(autoescape=escape, undefined=StrictUndefined, extensions=["jinja2.ext.i18n"])
    env = Environment(loader=loader, **options)
    env.install_gettext_callables(messages.gettext, messages.ngettext, newstyle=True)  # type: ignore[attr-defined]

    @functools.cache  # `css("a.css", ...)`: files of templates/_css/ joined and minified once per environment
    def css(*names: str) -> Markup:
        return Markup(minify_css("".join(loader.get_source(env, f"_css/{n}")[0] for n in names)))

    env.globals["css"] = css
    env.filters["date"] = functools.partial(format_date, locale=messages.locale)
    env.filters["host"] = lambda url: url.split("://", 1)[-1].rstrip("/")
    env.filters["sitename"] = lambda url: (urlsplit(url).hostname or url).removeprefix("www.")
    env.filters["cssmin"] = minify_css
    return env


@dataclass(frozen=True)
class Body:
    """A guide's body HTML in one script, and its contents list (id, text)."""

    locale: str
    html: str
    toc: tuple[tuple[str, str], ...]


class Renderer:
    """Renders pages to bytes. Holds nothing per page, so forked workers can share it."""

    def __init__(self, site: Site, envs: dict[str, Environment], messages: dict[str, Messages]) -> None:
        self.site, self.envs, self.messages = site, envs, messages
        self.topic_titles = {loc: {t.id: site.text(t.title, loc) for t in site.content.topics} for loc in LOCALES}
        self.operator_guides = {
            op: [k for k, g in site.guides.items() if g.operator == op] for op in site.content.operators
        }
        self.codes = {op.id: code_groups(op.facts) for op in site.operators}  # each operator's code card

    def body(self, locale: str, parsed: Parsed, text: Callable[[str], str], key: str) -> Body:
        """A guide's body in one script; text gives each text token in that script."""
        gettext, site = self.messages[locale].gettext, self.site

        def url(link: LinkRef) -> str:
            page = site.by_src[link.source] if link.target else key
            return site.url(page, locale) + (f"#{link.anchor}" if link.anchor else "")

        labels = {"warning": gettext("Warning"), "note": gettext("Note")}
        env = dict(text=text, url=url, label=labels.__getitem__, hant=locale == HANT)
        env["fact"] = lambda ref: fact_html(site.content.facts[ref], locale, self.messages[locale], site.today)
        toc = tuple((hid, text(t)) for level, hid, t in parsed.headings if level == 2)
        return Body(locale, render(parsed.tokens, env), toc)

    def guide_page(self, guide: Guide, body: Body, facts: list[Fact]) -> tuple[str, bytes]:
        """(output path, bytes) of a guide's page in its body's script."""
        site, key, locale, meta = self.site, guide.key, body.locale, guide.hans.meta
        title, summary, converted = site.guide_meta(key, locale)
        hand = locale == HANT and guide.hant is not None
        checked = min([meta.checked or meta.updated] + [f.checked for f in facts if not f.history])
        sources = (guide.hant.meta.sources if hand and guide.hant else ()) or meta.sources
        keys = self.operator_guides.get(guide.operator or "", [key])
        i = keys.index(key)
        links = [self.guide_link(keys[j], locale) if 0 <= j < len(keys) else None for j in (i - 1, i + 1)]
        siblings = dict(zip(("prev", "next"), links, strict=True))
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}  # facts by source and dates: each source named once
        for row in (self.fact_row(f, locale) for f in facts):
            group = row | {"rows": [], "history": False}
            groups.setdefault((row["source"], row["as_of"], row["checked"]), group)["rows"].append(row)
        ctx: dict[str, Any] = dict(summary=summary, description=summary, body=Markup(body.html), toc=list(body.toc))
        ctx.update(updated=meta.updated, review={"checked": checked, "next": next_check(checked)}, og_type="article")
        ctx.update(sources=[(u, self.allowed(u)) for u in sources], facts=list(groups.values()), siblings=siblings)
        ctx["codes_url"] = None
        if guide.operator and self.codes[guide.operator]:
            name = site.content.operators[guide.operator].name
            ctx.update(codes_url=site.url(f"{guide.operator}/{CODES}", locale), guide_operator=name)
        edit = f"guides/{key}{'.zh-Hant' if hand else ''}.md"
        page = self.page("guide.html", key, locale, title, edit, converted=converted, guide=guide, **ctx)
        return page_path(key, locale) + "index.html", page

    def page(self, template: str, key: str, locale: str, title: str, edit: str, **extra: Any) -> bytes:
        """One HTML page; edit is its source path relative to content/."""
        ctx = self.common(key, locale, title) | extra
        crumbs = self.crumbs(key, locale)
        ctx["breadcrumbs"] = [(name, self.site.url(k, locale)) for name, k in crumbs]
        ctx["feedback"] = self._feedback(edit, ctx)
        ctx["jsonld"] = self._structured_data(key, locale, crumbs, ctx)
        return self.envs[locale].get_template(template).render(ctx).encode()

    def common(self, key: str, locale: str, title: str) -> dict[str, Any]:
        """What every page has: its script, URLs, the site's names."""
        site, other = self.site, HANT if locale == HANS else HANS
        ctx: dict[str, Any] = dict(lang=locale, lang_url=url_lang(locale), title=title, base_path=site.config.base_path)
        ctx.update(offline=site.config.offline, og_locale_alternate=OG_LOCALES[other])
        ctx.update(site_title=site.text(site.config.title, locale), country=babel_data(locale).territories["AZ"])
        ctx.update(home_url=site.url("", locale), search_url=site.url(SEARCH, locale), alternates=self.alternates(key))
        ctx.update(canonical=site.url(key, locale, absolute=True), og_locale=OG_LOCALES[locale])
        ctx["switch"] = {"url": site.url(key, other), "lang": other, "name": SCRIPT_NAMES[other]}
        return ctx

    def _feedback(self, edit: str, ctx: dict[str, Any]) -> dict[str, str] | None:
        """'Edit this page' and 'report a mistake' links, when site.yaml names the repository."""
        repo, gettext = (self.site.config.repo_url or "").rstrip("/"), self.messages[ctx["lang"]].gettext
        # kept short: percent-encoded Chinese costs 9 bytes a character on every page
        title = gettext("Mistake on the page %(title)s") % {"title": ctx["title"]}
        body = gettext("Page: %(url)s") % {"url": ctx["canonical"]}
        query = urlencode({"title": title, "body": body}, quote_via=quote)
        edit_url = f"{repo}/edit/main/{quote('content/' + edit)}"
        return {"edit": edit_url, "report": f"{repo}/issues/new?{query}"} if repo else None

    def _structured_data(self, key: str, locale: str, crumbs: Crumbs, ctx: dict[str, Any]) -> Markup:
        """schema.org JSON-LD (breadcrumbs, Article, WebSite), '<' escaped so no '</script>' can appear."""
        site = self.site
        website = {"@type": "WebSite", "name": ctx["site_title"], "url": site.url("", locale, absolute=True)}
        graph = [] if key else [website | {"inLanguage": locale}]
        if crumbs:
            trail = [(name, site.url(k, locale, absolute=True)) for name, k in crumbs]
            trail.append((ctx["title"], ctx["canonical"]))
            items = [{"@type": "ListItem", "position": i, "name": n, "item": u} for i, (n, u) in enumerate(trail, 1)]
            graph.append({"@type": "BreadcrumbList", "itemListElement": items})
        if ctx.get("guide") is not None:
            article = {"@type": "Article", "headline": ctx["title"], "description": ctx["description"]}
            article |= {"dateModified": ctx["updated"].isoformat(), "inLanguage": locale}
            graph.append(article | {"mainEntityOfPage": ctx["canonical"], "isPartOf": website})
        data = {"@context": "https://schema.org", "@graph": graph}
        return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))

    def alternates(self, key: str) -> list[tuple[str, str]]:
        """hreflang alternates; x-default is the chooser for home pages, zh-Hans otherwise."""
        site = self.site
        default = site.config.base_url if key == "" else site.url(key, HANS, absolute=True)
        return [(loc, site.url(key, loc, absolute=True)) for loc in LOCALES] + [("x-default", default)]

    def crumbs(self, key: str, locale: str) -> Crumbs:
        """The pages above a page: home, then the operator above its guides, printable page and code card."""
        if not key:
            return ()
        home, ops = (self.site.text(self.site.config.title, locale), ""), self.site.content.operators
        return (home, *((ops[k].name, k) for k in key.split("/")[:-1]))

    def guide_link(self, key: str, locale: str) -> dict[str, Any]:
        title, summary, _ = self.site.guide_meta(key, locale)
        topic = self.topic_titles[locale].get(self.site.guides[key].topic or "", "")
        url, updated = self.site.url(key, locale), self.site.guides[key].hans.meta.updated
        return dict(title=title, summary=summary, topic=topic, url=url, updated=updated)

    def fact_row(self, fact: Fact, locale: str) -> dict[str, Any]:
        text, value = self.site.text, fact_html(fact, locale, self.messages[locale])
        row = dict(label=text(fact.label, locale) or fact.key, value=value, due=fact.due(self.site.today))
        row.update(note=text(fact.note, locale), source=fact.source, source_allowed=self.allowed(fact.source))
        return row | dict(as_of=fact.as_of, checked=fact.checked, history=fact.history)

    def allowed(self, url: str) -> bool:
        return self.site.allowed_host(urlsplit(url).hostname or "")


def template_diagnostic(err: TemplateError, root: Path) -> Diagnostic:
    """A template error as `templates/x.html:line: template: ...`, runtime ones located from the traceback."""
    folder = (root / "templates").resolve()
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(str(folder))]
    path, line = (Path(frames[-1].filename), frames[-1].lineno or 1) if frames else (folder, 1)
    if isinstance(err, TemplateSyntaxError) and err.filename:
        path, line = Path(err.filename), err.lineno
    inside = path.resolve().is_relative_to(root.resolve())
    name = path.resolve().relative_to(root.resolve()).as_posix() if inside else path.as_posix()
    return Diagnostic(name, line, f"template: {err.message}; fix the template")
