"""The site as data before any guide is parsed: published guides, URLs, what links can reach.

Everything here comes from file paths and front matter, so it is known before the guides'
bodies are parsed (in parallel, by sitegen.guides) and can be shared with every worker.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .chinese import Converter
from .diagnostics import Report
from .discover import Content
from .facts import is_dialable
from .model import HANS, HANT, Guide, Text, url_lang


@dataclass
class Site:
    content: Content
    converter: Converter
    today: dt.date  # the build date: facts checked more than 12 months before it are due
    guides: dict[str, Guide] = field(default_factory=dict)  # published guides, by key
    by_src: dict[str, str] = field(default_factory=dict)  # source path -> page key
    # zh-Hant title and summary of every converted guide, converted once for all listings
    converted_meta: dict[str, tuple[str, str]] = field(default_factory=dict)
    _converted: dict[str, str] = field(default_factory=dict)  # site-wide texts, asked for on every page

    @property
    def config(self):  # type: ignore[no-untyped-def]
        assert self.content.config is not None
        return self.content.config

    def text(self, text: Text | None, locale: str) -> str:
        """A Text in a locale: the hand-written zh-Hant form wins over conversion."""
        if text is None:
            return ""
        if locale == HANS:
            return text.hans
        if text.hant is not None:
            return text.hant
        if text.hans not in self._converted:
            self._converted[text.hans] = self.converter.convert(text.hans)
        return self._converted[text.hans]

    def url(self, key: str, locale: str, absolute: bool = False) -> str:
        prefix = self.config.base_url if absolute else self.config.base_path
        return prefix + page_path(key, locale)

    def guide_meta(self, key: str, locale: str) -> tuple[str, str, bool]:
        """(title, summary, converted) of a guide in a locale."""
        guide = self.guides[key]
        if locale == HANS:
            return guide.hans.meta.title, guide.hans.meta.summary, False
        if guide.hant is not None:
            return guide.hant.meta.title, guide.hant.meta.summary, False
        return (*self.converted_meta[key], True)

    @functools.cached_property
    def ordered_keys(self) -> list[str]:
        """Guides in reading order: by operator, then topic order, then 'order', then key."""
        topic_order = {t.id: i for i, t in enumerate(self.content.topics)}
        return sorted(self.guides, key=lambda k: (
            self.guides[k].operator or "", topic_order.get(self.guides[k].topic or "", 0),
            self.guides[k].hans.meta.order, k))

    @functools.cached_property
    def allowed_hosts(self) -> frozenset[str]:
        """Operators' registered domains and the hosts listed in site.yaml."""
        hosts = {(urlsplit(op.website).hostname or "").removeprefix("www.")
                 for op in self.content.operators.values()}
        return frozenset(h for h in hosts | set(self.config.external_hosts) if h)

    def allowed_host(self, host: str) -> bool:
        """One of the allowed hosts or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == a or host.endswith("." + a) for a in self.allowed_hosts)

    @functools.cached_property
    def dialable(self) -> frozenset[str]:
        """Codes and phone numbers among the facts (amounts and day counts have a unit)."""
        return frozenset(f.value.removesuffix("YES") for f in self.content.all_facts()
                         if is_dialable(f.value) and f.unit is None)


def page_path(key: str, locale: str) -> str:
    """Output path of a page key: '' is the home page, 'nar' an operator, 'nar/top-up' a guide."""
    return f"{url_lang(locale)}/{key}/" if key else f"{url_lang(locale)}/"


def assemble(content: Content, converter: Converter, report: Report, drafts: bool,
             today: dt.date) -> Site:
    """Which guides are published and where every page lives; URL clashes are errors."""
    site = Site(content, converter, today)
    _check_url_clashes(content, report)
    for guide in content.guides:
        if guide.hans.meta.draft and not drafts:
            continue
        site.guides[guide.key] = guide
        site.by_src[guide.hans.src] = guide.key
    for op in content.operators.values():
        site.by_src[op.src] = op.id
    converted = [k for k, g in site.guides.items() if g.hant is None]
    texts = converter.convert_many([t for k in converted for t in (
        site.guides[k].hans.meta.title, site.guides[k].hans.meta.summary)])
    site.converted_meta = {k: (texts[2 * i], texts[2 * i + 1]) for i, k in enumerate(converted)}
    return site


SEARCH = "search"  # /<lang>/search/: the search page
PRINT = "print"  # /<lang>/<operator>/print/: every guide of one operator on one page
RESERVED = {SEARCH: "the search page"}  # names at /<lang>/<name>/ that no content may take


def _check_url_clashes(content: Content, report: Report) -> None:
    claims: dict[str, str] = dict(RESERVED)
    names = [(op.id, op.src, 1) for op in content.operators.values()]
    names += [(t.id, "content/topics.yaml", t.line) for t in content.topics]
    names += [(g.key, g.hans.src, 1) for g in content.guides if g.operator is None]
    for name, src, line in names:
        if name in claims:
            report.error(src, line, f"'{name}' claims the URL /{name}/ already taken by {claims[name]}; "
                         f"rename {'it' if name in RESERVED else 'one of them'}")
        else:
            claims[name] = src
    for topic in content.topics:
        if topic.id == PRINT:
            report.error("content/topics.yaml", topic.line, f"topic id '{PRINT}' is reserved for the "
                         f"printable page /<lang>/<operator>/{PRINT}/; choose another id")


__all__ = ["HANT", "PRINT", "SEARCH", "Site", "assemble", "page_path"]
