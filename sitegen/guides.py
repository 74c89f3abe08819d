"""One guide from Markdown to its two pages: parsed once, checked, rendered in both scripts.

This is the work the build spreads over processes (sitegen.workers). It needs only the
assembled Site and the renderer, and returns what must be checked across guides once all
are parsed: the heading ids other guides may link to and the anchors this guide links to.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .assemble import Site
from .chinese import traditional_only
from .diagnostics import Diagnostic, Report, did_you_mean
from .lint import lint_source
from .markdown import LinkRef, Parsed, parse
from .model import Guide, Source
from .render import SiteRenderer


@dataclass
class Anchor:
    """A link to a section, checked once every guide's heading ids are known."""

    src: str
    line: int
    page: str  # key of the page linked to
    anchor: str


@dataclass
class GuideResult:
    key: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    heading_ids: list[str] = field(default_factory=list)  # of the zh-Hans page
    anchors: list[Anchor] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)  # {locale: body}, for printable pages
    pages: list[str] = field(default_factory=list)  # output paths written
    link_targets: list[str] = field(default_factory=list)  # sources its links name


def process_guide(site: Site, renderer: SiteRenderer, guide: Guide) -> tuple[GuideResult, dict[str, bytes]]:
    """Check one guide and render its pages ({output path: bytes}; none if it has errors)."""
    report = Report()
    hans = _parse_source(guide.hans, report)
    _lint_source_script(guide.hans, hans, report)
    hant = None
    if guide.hant is not None:
        hant = _parse_source(guide.hant, report)
        _align_heading_ids(hans, hant, guide.hant.src, report)
    result = GuideResult(guide.key, report.items, list(hans.heading_ids))
    parses = _parses(guide, hans, hant)
    for parsed, source in parses:
        result.link_targets += [_target_src(link) for link in parsed.links if link.target]
        _check_facts(parsed, source.src, site, report)
        result.anchors += _resolve_links(parsed, source.src, guide.key, site, report)
        lint_source(source, parsed, site, report)
    unresolved = any("page" not in link.token.meta for p, _ in parses for link in p.links)
    if report.errors or unresolved:  # unresolved: a link to a broken file, whose own error fails the build
        return result, {}
    pages, bodies = renderer.guide_pages(guide, hans, hant)
    if guide.operator:  # only operators have a page that prints every guide's body
        result.bodies = bodies
    return result, pages


def report_guides(results: dict[str, GuideResult], report: Report) -> None:
    """Every guide's own diagnostics, then what only all of them together can tell: links to a
    section must name a heading of the page they lead to."""
    for result in results.values():
        report.items += result.diagnostics
    for result in results.values():
        for a in result.anchors:
            target = results.get(a.page)
            known = target.heading_ids if target else []
            if a.anchor not in known:
                report.error(a.src, a.line, f"link anchor '#{a.anchor}' is not a heading of that page"
                             f"{did_you_mean(a.anchor, known)}")


def _parses(guide: Guide, hans: Parsed, hant: Parsed | None) -> list[tuple[Parsed, Source]]:
    pairs = [(hans, guide.hans)]
    if hant is not None and guide.hant is not None:
        pairs.append((hant, guide.hant))
    return pairs


def _parse_source(source: Source, report: Report) -> Parsed:
    parsed = parse(source.body, posixpath.dirname(source.src), source.body_line)
    for line, kind, message in parsed.problems:
        report.warning(source.src, line, message, kind)
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
                           "write Simplified (mixed input converts badly)", "traditional-in-hans")


def _align_heading_ids(hans: Parsed, hant: Parsed, src: str, report: Report) -> None:
    """A hand-written page keeps the source's heading ids so anchors work in both scripts."""
    if [h[0] for h in hans.headings] != [h[0] for h in hant.headings]:
        report.warning(src, 1, "headings differ from the zh-Hans source, so links to its sections "
                       "may miss; keep the same headings in the same order", "headings-differ")
        return
    ids = iter(hans.heading_ids)
    for token in (t for t in hant.tokens if t.type == "heading_open"):
        token.attrSet("id", next(ids))
    hant.heading_ids = list(hans.heading_ids)


def _check_facts(parsed: Parsed, src: str, site: Site, report: Report) -> None:
    for line, ref in parsed.facts:
        if site.content.fact(ref) is None:
            hint = did_you_mean(ref, site.content.fact_refs()) or "; add it to the facts or fix the key"
            report.error(src, line, f"unknown fact '{ref}'{hint}")


def _resolve_links(parsed: Parsed, src: str, key: str, site: Site, report: Report) -> list[Anchor]:
    """Store each link's target page key on its token; anchors are returned for later."""
    anchors = []
    for link in parsed.links:
        page = _link_target(link, key, site)
        if page is None:
            if _target_src(link) not in site.content.broken_srcs:  # else that file's own error is enough
                report.error(src, link.line, f"link to '{link.written}' leads to no page; link to a "
                             "guide's .md file (relative to this file) or an operator's .yaml file")
            continue
        link.token.meta["page"] = page
        if link.anchor:
            anchors.append(Anchor(src, link.line, page, link.anchor))
    return anchors


def _target_src(link: LinkRef) -> str:
    """The source a link names: a zh-Hant file stands for its zh-Hans source."""
    target = link.target
    return target.removesuffix(".zh-Hant.md") + ".md" if target.endswith(".zh-Hant.md") else target


def _link_target(link: LinkRef, key: str, site: Site) -> str | None:
    return site.by_src.get(_target_src(link)) if link.target else key
