"""The site as data before any guide's body is parsed: published guides, URLs, what links can reach, every site-wide
text in both scripts; all from paths, data files and front matter, and shared with every worker that parses the guides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content.discover import Content
from ..diagnostics import Diagnostic, Report
from ..model import HANS, HANT, Guide, Operator, Options, SiteConfig, Text, build_date, page_path
from ..text.chinese import Converter, TermLint
from ..text.lint import FactIndex

SEARCH = "search"  # /<lang>/search/: the search page
PRINT = "print"  # /<lang>/<operator>/print/: every guide of one operator on one page
CODES = "codes"  # /<lang>/<operator>/codes/: every code and number of one operator
OFFLINE = "offline"  # /<lang>/offline/: what a reader sees offline on a page not kept
RESERVED = {SEARCH: "the search page", OFFLINE: "the offline page"}  # names no content may take
OPERATOR_PAGES = {PRINT: "the printable page", CODES: "the code card"}  # /<lang>/<operator>/<name>/


@dataclass(frozen=True)
class Site:
    content: Content
    config: SiteConfig
    converter: Converter
    terms: TermLint
    today: dt.date  # the build date: facts checked more than 12 months before it are due
    guides: dict[str, Guide]  # published guides, by key, in reading order
    by_src: dict[str, str]  # source path -> page key
    converted: dict[str, str]  # every site-wide text and guide title and summary, in zh-Hant
    facts: FactIndex
    allowed_hosts: frozenset[str]

    def text(self, text: Text | None, locale: str) -> str:
        """A Text in a locale: the hand-written zh-Hant form wins over conversion."""
        if text is None:
            return ""
        if locale == HANS:
            return text.hans
        return text.hant if text.hant is not None else self.converted[text.hans]

    def url(self, key: str, locale: str, absolute: bool = False) -> str:
        prefix = self.config.base_url if absolute else self.config.base_path
        return prefix + page_path(key, locale)

    def guide_meta(self, key: str, locale: str) -> tuple[str, str, bool]:
        """(title, summary, converted) of a guide in a locale."""
        guide = self.guides[key]
        if locale == HANT and guide.hant is None:
            return self.converted[guide.hans.meta.title], self.converted[guide.hans.meta.summary], True
        meta = guide.hant.meta if locale == HANT and guide.hant else guide.hans.meta
        return meta.title, meta.summary, False

    @property
    def operators(self) -> list[Operator]:
        return list(self.content.operators.values())

    def allowed_host(self, host: str) -> bool:
        """One of the allowed hosts or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == a or host.endswith("." + a) for a in self.allowed_hosts)


def assemble(
    content: Content, config: SiteConfig, converter: Converter, terms: TermLint, options: Options, report: Report
) -> Site:
    """Which guides are published and where every page lives; URL clashes are errors."""
    _check_url_clashes(content, report)
    published = [g for g in content.guides if options.drafts or not g.hans.meta.draft]
    topic_order = {t.id: i for i, t in enumerate(content.topics)}
    published.sort(key=lambda g: (g.operator or "", topic_order.get(g.topic or "", 0), g.hans.meta.order, g.key))
    by_src = {g.hans.src: g.key for g in published} | {op.src: op.id for op in content.operators.values()}
    titles = {t for g in published if g.hant is None for t in (g.hans.meta.title, g.hans.meta.summary)}
    texts = sorted({t.hans for _, _, t in _site_texts(content, config) if t.hant is None} | titles)
    converted = dict(zip(texts, converter.convert_many(texts), strict=True))
    websites = {(urlsplit(op.website).hostname or "").removeprefix("www.") for op in content.operators.values()}
    hosts = frozenset(h for h in websites | set(config.external_hosts) if h)
    today, facts = options.today or build_date(), FactIndex.of(content.facts.values())
    return Site(
        content, config, converter, terms, today, {g.key: g for g in published}, by_src, converted, facts, hosts
    )


def mainland_terms(site: Site, catalog: Mapping[str, object]) -> list[Diagnostic]:
    """Mainland-only terms in the zh-Hant of site-wide texts and of the UI catalog."""
    texts = _site_texts(site.content, site.config)
    texts += [
        (g.hans.src, 1, Text(t)) for g in site.guides.values() if not g.hant for t in site.guide_meta(g.key, HANS)[:2]
    ]
    texts += [("i18n/zh_Hant/LC_MESSAGES/messages.po", 1, Text("", str(v))) for v in catalog.values()]
    return [d for src, line, text in texts for d in site.terms.check(src, line, site.text(text, HANT))]


def _site_texts(content: Content, config: SiteConfig) -> list[tuple[str, int, Text]]:
    """Every site-wide text with the file and line it comes from."""
    texts = [(f.src, f.line, t) for f in content.facts.values() for t in (f.label, f.note) if t]
    texts += [("content/topics.yaml", t.line, x) for t in content.topics for x in (t.title, t.summary)]
    texts += [(op.src, 1, op.summary) for op in content.operators.values() if op.summary]
    return texts + [("content/site.yaml", 1, t) for t in (config.title, config.description) if t]


def _check_url_clashes(content: Content, report: Report) -> None:
    claims: dict[str, str] = dict(RESERVED)
    names = [(op.id, op.src, 1) for op in content.operators.values()]
    names += [(t.id, "content/topics.yaml", t.line) for t in content.topics]
    names += [(g.key, g.hans.src, 1) for g in content.guides if g.operator is None]
    for name, src, line in names:
        if name in claims:
            message = f"'{name}' claims the URL /{name}/ already taken by {claims[name]}; rename {'it' if name in RESERVED else 'one of them'}"
            report.error(src, line, message)
        else:
            claims[name] = src
    for topic in content.topics:
        if topic.id in OPERATOR_PAGES:
            message = f"topic id '{topic.id}' is reserved for {OPERATOR_PAGES[topic.id]} /<lang>/<operator>/{topic.id}/; choose another id"
            report.error("content/topics.yaml", topic.line, message)
