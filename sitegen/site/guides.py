"""One guide from Markdown to its two pages: parsed once, checked, rendered in both scripts.

This is the work the build shares out to processes (sitegen.parallel). It needs only the
assembled Site and the renderer, and returns what must be checked across guides once all are
parsed (the heading ids other guides may link to, the sections this guide links to), its
pages as bytes, and the text readers can search. Nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Report, did_you_mean
from ..model import HANS, HANT, Guide, Source
from ..text.chinese import traditional_only
from ..text.lint import lint_source
from ..text.markdown import Parsed, parse, texts_to_convert
from .assemble import Site
from .render import Body, Renderer


@dataclass(frozen=True)
class Anchor:
    """A link to a section, checked once every guide's heading ids are known."""

    src: str
    line: int
    page: str  # key of the page linked to
    anchor: str


@dataclass(frozen=True)
class GuideResult:
    key: str
    diagnostics: tuple[Diagnostic, ...]
    heading_ids: tuple[str, ...]  # of the zh-Hans page
    anchors: tuple[Anchor, ...]
    pages: tuple[tuple[str, bytes], ...] = ()  # (output path, bytes); none when it has errors
    bodies: tuple[tuple[str, str], ...] = ()  # (locale, body HTML), for its operator's printable page
    missing: frozenset[tuple[str, str]] = frozenset()  # (locale, UI string) its pages lacked


def process_guide(site: Site, renderer: Renderer, guide: Guide) -> GuideResult:
    """Check one guide and render its pages."""
    report = Report()
    hans = _parse_source(guide.hans, report)
    _lint_source_script(guide.hans, hans, report)
    hant = _parse_source(guide.hant, report) if guide.hant is not None else None
    if hant is not None and guide.hant is not None:
        _align_heading_ids(hans, hant, guide.hant.src, report)
    anchors = []
    for parsed, source in _parses(guide, hans, hant):
        _check_facts(parsed, source.src, site, report)
        anchors += _check_links(parsed, source.src, guide.key, site, report)
        report.items += lint_source(source.src, source.body, source.body_line, parsed, site.facts, site.allowed_host)
    unresolved = any(
        link.target and link.source not in site.by_src for p, _ in _parses(guide, hans, hant) for link in p.links
    )  # a link to a broken file, whose own error fails the build
    converted = _convert(site, guide, hans, hant, report) if not report.errors else {}
    result = GuideResult(guide.key, tuple(report.items), tuple(hans.heading_ids), tuple(anchors))
    if report.errors or unresolved:
        return result
    bodies = _bodies(renderer, guide, hans, hant, converted)
    facts = [f for f in (site.content.facts.get(ref) for ref in dict.fromkeys(r for _, r in hans.facts)) if f]
    pages = tuple(renderer.guide_page(guide, body, facts) for body in bodies)
    prints = tuple((b.locale, b.html) for b in bodies) if guide.operator else ()
    return replace(result, pages=pages, bodies=prints)


def report_guides(results: dict[str, GuideResult], report: Report) -> None:
    """Every guide's own diagnostics, then what only all of them together can tell: links to a
    section must name a heading of the page they lead to."""
    for result in results.values():
        report.items += result.diagnostics
    for result in results.values():
        for a in result.anchors:
            target = results.get(a.page)
            known = target.heading_ids if target else ()
            if a.anchor not in known:
                hint = did_you_mean(a.anchor, known)
                report.error(a.src, a.line, f"link anchor '#{a.anchor}' is not a heading of that page{hint}")


def _parses(guide: Guide, hans: Parsed, hant: Parsed | None) -> list[tuple[Parsed, Source]]:
    return [(hans, guide.hans)] + ([(hant, guide.hant)] if hant is not None and guide.hant else [])


def _parse_source(source: Source, report: Report) -> Parsed:
    parsed = parse(source.body, source.src, source.body_line)
    report.items += parsed.diagnostics
    return parsed


def _lint_source_script(source: Source, parsed: Parsed, report: Report) -> None:
    """Traditional characters in a zh-Hans source break conversion; name them and their line."""
    lines = [(n, text) for n, text, kind in parsed.prose if kind == "text"]
    lines.insert(0, (1, source.meta.title + source.meta.summary))
    if not traditional_only("".join(text for _, text in lines)):
        return  # the common case: one pass over the whole text
    for line, text in lines:
        chars = traditional_only(text)
        if chars:
            message = f"zh-Hans text has Traditional characters {''.join(chars)}; write Simplified (mixed input converts badly)"
            report.warning(source.src, line, message, "traditional-in-hans")


def _align_heading_ids(hans: Parsed, hant: Parsed, src: str, report: Report) -> None:
    """A hand-written page keeps the source's heading ids so anchors work in both scripts (the
    ids of this guide's own parse are set here, before it is rendered)."""
    if [h[0] for h in hans.headings] != [h[0] for h in hant.headings]:
        message = "headings differ from the zh-Hans source, so links to its sections may miss; keep the same headings in the same order"
        report.warning(src, 1, message, "headings-differ")
        return
    ids = iter(hans.heading_ids)
    for token in (t for t in hant.tokens if t.type == "heading_open"):
        token.attrSet("id", next(ids))
    hant.headings = [(level, hid, text) for (level, _, text), hid in zip(hant.headings, hans.heading_ids, strict=False)]


def _check_facts(parsed: Parsed, src: str, site: Site, report: Report) -> None:
    for line, ref in parsed.facts:
        if site.content.facts.get(ref) is None:
            hint = did_you_mean(ref, site.content.facts) or "; add it to the facts or fix the key"
            report.error(src, line, f"unknown fact '{ref}'{hint}")


def _check_links(parsed: Parsed, src: str, key: str, site: Site, report: Report) -> list[Anchor]:
    """Each link must lead to a page; links to a section are returned, checked later."""
    anchors = []
    for link in parsed.links:
        page = site.by_src.get(link.source) if link.target else key
        if page is None:
            if link.source not in site.content.broken:  # else that file's own error is enough
                message = f"link to '{link.written}' leads to no page; link to a guide's .md file (relative to this file) or an operator's .yaml file"
                report.error(src, link.line, message)
        elif link.anchor:
            anchors.append(Anchor(src, link.line, page, link.anchor))
    return anchors


def _convert(site: Site, guide: Guide, hans: Parsed, hant: Parsed | None, report: Report) -> dict[str, str]:
    """The zh-Hant of every text of a converted guide (one OpenCC call a guide), and the zh-Hant
    text linted for mainland terms at its source line (the hand-written page's, or the source's)."""
    if hant is not None and guide.hant is not None:
        report.items += [
            d for n, text, kind in hant.prose if kind == "text" for d in site.terms.check(guide.hant.src, n, text)
        ]
        return {}
    prose = [(line, text) for line, text, kind in hans.prose if kind == "text"]  # as written: {#id} and all
    texts = texts_to_convert(hans.tokens) + [t for _, _, t in hans.headings] + [t for _, t in prose]
    texts = list(dict.fromkeys(texts))
    converted = dict(zip(texts, site.converter.convert_many(texts), strict=True))
    report.items += [d for n, text in prose for d in site.terms.check(guide.hans.src, n, converted[text])]
    return converted


def _bodies(
    renderer: Renderer, guide: Guide, hans: Parsed, hant: Parsed | None, converted: dict[str, str]
) -> list[Body]:
    """Both scripts' bodies: zh-Hant from the hand-written parse, or the zh-Hans tokens rendered
    with their text converted."""
    toc = [(hid, text) for level, hid, text in hans.headings if level == 2]
    bodies = [renderer.body(HANS, hans.tokens, toc, str, guide.key)]
    if hant is not None:
        hant_toc = [(hid, text) for level, hid, text in hant.headings if level == 2]
        return bodies + [renderer.body(HANT, hant.tokens, hant_toc, str, guide.key)]
    hant_toc = [(hid, converted[text]) for hid, text in toc]
    return bodies + [renderer.body(HANT, hans.tokens, hant_toc, lambda text: converted.get(text, text), guide.key)]
