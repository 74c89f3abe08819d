"""Guides parsed, URLs given, links and facts resolved: the site as data, before templates."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .chinese import Converter, traditional_only
from .diagnostics import Report, did_you_mean
from .discover import Content
from .markdown import LinkRef, Parsed, parse
from .model import HANS, Guide, Source, Text, url_lang


@dataclass
class GuideDoc:
    """A published guide: its zh-Hans parse and, if hand-written, its zh-Hant parse."""

    guide: Guide
    hans: Parsed
    hant: Parsed | None = None


@dataclass
class Site:
    content: Content
    converter: Converter
    docs: dict[str, GuideDoc] = field(default_factory=dict)
    by_src: dict[str, str] = field(default_factory=dict)  # source path -> page key

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
        return text.hant if text.hant is not None else self.converter.convert(text.hans)

    def url(self, key: str, locale: str, absolute: bool = False) -> str:
        prefix = self.config.base_url if absolute else self.config.base_path
        return prefix + page_path(key, locale)


def page_path(key: str, locale: str) -> str:
    """Output path of a page key: '' is the home page, 'nar' an operator, 'nar/top-up' a guide."""
    return f"{url_lang(locale)}/{key}/" if key else f"{url_lang(locale)}/"


def assemble(content: Content, converter: Converter, report: Report, drafts: bool) -> Site:
    """Parse published guides and check what spans pages: URL clashes, facts, links."""
    site = Site(content, converter)
    _check_url_clashes(content, report)
    for guide in content.guides:
        if guide.hans.meta.draft and not drafts:
            continue
        site.docs[guide.key] = _parse_guide(guide, report)
        site.by_src[guide.hans.src] = guide.key
    for op in content.operators.values():
        site.by_src[op.src] = op.id
    for doc in site.docs.values():
        _check_facts(doc, content, report)
        _resolve_links(doc, site, report)
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


def _parse_guide(guide: Guide, report: Report) -> GuideDoc:
    doc = GuideDoc(guide, _parse_source(guide.hans, report))
    _lint_source_script(guide.hans, doc.hans, report)
    if guide.hant is not None:
        doc.hant = _parse_source(guide.hant, report)
        _align_heading_ids(doc.hans, doc.hant, guide.hant.src, report)
    return doc


def _parse_source(source: Source, report: Report) -> Parsed:
    parsed = parse(source.body, posixpath.dirname(source.src), source.body_line)
    for line, severity, message in parsed.problems:
        (report.error if severity == "error" else report.warning)(source.src, line, message)
    return parsed


def _lint_source_script(source: Source, parsed: Parsed, report: Report) -> None:
    """Traditional characters in a zh-Hans source break conversion; name them and their line."""
    lines = [(1, source.meta.title + source.meta.summary)] + [
        (line, text) for line, text, kind in parsed.prose if kind == "text"]
    if not traditional_only("".join(text for _, text in lines)):
        return  # the common case: one pass over the whole text
    for line, text in lines:
        chars = traditional_only(text)
        if chars:
            report.warning(source.src, line, f"zh-Hans text has Traditional characters {''.join(chars)}; "
                           "write Simplified (mixed input converts badly)")


def _align_heading_ids(hans: Parsed, hant: Parsed, src: str, report: Report) -> None:
    """A hand-written page keeps the source's heading ids so anchors work in both scripts."""
    if [h[0] for h in hans.headings] != [h[0] for h in hant.headings]:
        report.warning(src, 1, "headings differ from the zh-Hans source, so links to its sections "
                       "may miss; keep the same headings in the same order")
        return
    ids = iter(hans.heading_ids)
    for token in (t for t in hant.tokens if t.type == "heading_open"):
        token.attrSet("id", next(ids))
    hant.heading_ids = list(hans.heading_ids)


def _check_facts(doc: GuideDoc, content: Content, report: Report) -> None:
    for parsed, src in _parses(doc):
        for line, ref in parsed.facts:
            if content.fact(ref) is None:
                hint = did_you_mean(ref, content.fact_refs()) or "; add it to the facts or fix the key"
                report.error(src, line, f"unknown fact '{ref}'{hint}")


def _parses(doc: GuideDoc) -> list[tuple[Parsed, str]]:
    pairs = [(doc.hans, doc.guide.hans.src)]
    if doc.hant is not None and doc.guide.hant is not None:
        pairs.append((doc.hant, doc.guide.hant.src))
    return pairs


def _resolve_links(doc: GuideDoc, site: Site, report: Report) -> None:
    for parsed, src in _parses(doc):
        for link in parsed.links:
            problem = _link_problem(link, doc, site)
            if problem:
                report.error(src, link.line, problem)


def _link_problem(link: LinkRef, doc: GuideDoc, site: Site) -> str | None:
    """None when the link resolves; stores the target page key on the link token."""
    if not link.target:
        key = doc.guide.key
    else:
        target = link.target.removesuffix(".zh-Hant.md") + ".md" if link.target.endswith(
            ".zh-Hant.md") else link.target
        found = site.by_src.get(target)
        if found is None and target in site.content.broken_srcs:
            return None  # that file's own error is reported; one message is enough
        if found is None:
            return (f"link to '{link.written}' leads to no page; link to a guide's .md file "
                    "(relative to this file) or an operator's .yaml file")
        key = found
    link.token.meta["page"] = key
    target_doc = site.docs.get(key)
    if link.anchor and (target_doc is None or link.anchor not in target_doc.hans.heading_ids):
        known = target_doc.hans.heading_ids if target_doc else []
        return f"link anchor '#{link.anchor}' is not a heading of that page{did_you_mean(link.anchor, known)}"
    return None

