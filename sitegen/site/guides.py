"""One guide from Markdown to its two pages: parsed once, checked, rendered in both scripts.

The work the build shares out to processes (sitegen.parallel): it needs only the Site and the renderer, and returns
its pages as bytes and what can only be checked once every guide is parsed (heading ids, links to sections).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Report, did_you_mean
from ..model import HANS, HANT, Guide, Source
from ..text.chinese import traditional_only
from ..text.lint import lint_source
from ..text.markdown import Parsed, parse, texts_to_convert
from .assemble import Site
from .render import Renderer


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
    parses = [(hans, guide.hans)]
    if guide.hant is not None:
        hant = _parse_source(guide.hant, report)
        _align_heading_ids(hans, hant, guide.hant.src, report)
        parses.append((hant, guide.hant))
    anchors = []
    for parsed, source in parses:
        _check_facts(parsed, source.src, site, report)
        anchors += _check_links(parsed, source.src, guide.key, site, report)
        report.items += lint_source(source.src, source.body, source.body_line, parsed, site.facts, site.allowed_host)
    # a link to a broken file, whose own error fails the build
    unresolved = any(link.target and link.source not in site.by_src for p, _ in parses for link in p.links)
    hant, hant_source = parses[-1]  # the hand-written zh-Hant page, else the source it is converted from
    converted = _convert(site, hans) if guide.hant is None and not report.errors else {}
    if guide.hant is not None or not report.errors:  # mainland-only terms in the zh-Hant text, at its source line
        prose = [(n, converted.get(text, text)) for n, text, kind in hant.prose if kind == "text"]
        report.items += [d for n, text in prose for d in site.terms.check(hant_source.src, n, text)]
    result = GuideResult(guide.key, tuple(report.items), tuple(hans.heading_ids), tuple(anchors))
    if report.errors or unresolved:
        return result
    hant_body = renderer.body(HANT, hant, lambda text: converted.get(text, text), guide.key)
    bodies = (renderer.body(HANS, hans, str, guide.key), hant_body)
    facts = [site.content.facts[ref] for ref in dict.fromkeys(r for _, r in hans.facts)]
    pages = tuple(renderer.guide_page(guide, body, facts) for body in bodies)
    prints = tuple((b.locale, b.html) for b in bodies) if guide.operator else ()
    return replace(result, pages=pages, bodies=prints)


def report_guides(results: dict[str, GuideResult], report: Report) -> None:
    """Every guide's own diagnostics, then each link to a section checked against the headings of its page."""
    for result in results.values():
        report.items += result.diagnostics
    for result in results.values():
        for a in result.anchors:
            target = results.get(a.page)
            known = target.heading_ids if target else ()
            if a.anchor not in known:
                hint = did_you_mean(a.anchor, known)
                report.error(a.src, a.line, f"link anchor '#{a.anchor}' is not a heading of that page{hint}")


def _parse_source(source: Source, report: Report) -> Parsed:
    parsed = parse(source.body, source.src, source.body_line)
    report.items += parsed.diagnostics
    return parsed


def _lint_source_script(source: Source, parsed: Parsed, report: Report) -> None:
    """Traditional characters in a zh-Hans source break conversion; name them and their line."""
    lines = [(1, source.meta.title + source.meta.summary)] + [(n, t) for n, t, kind in parsed.prose if kind == "text"]
    if not traditional_only("".join(text for _, text in lines)):
        return  # the common case: one pass over the whole text
    for line, text in lines:
        if chars := traditional_only(text):
            message = f"zh-Hans text has Traditional characters {''.join(chars)}; write Simplified (mixed input converts badly)"
            report.warning(source.src, line, message, "traditional-in-hans")


def _align_heading_ids(hans: Parsed, hant: Parsed, src: str, report: Report) -> None:
    """A hand-written page takes the source's heading ids, so section links work in both scripts."""
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
        if ref not in site.content.facts:
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


def _convert(site: Site, hans: Parsed) -> dict[str, str]:
    """The zh-Hant of every text of a converted guide, in one OpenCC call a guide."""
    prose = [text for _, text, kind in hans.prose if kind == "text"]  # as written: {#id} and all
    texts = list(dict.fromkeys(texts_to_convert(hans.tokens) + [t for _, _, t in hans.headings] + prose))
    return dict(zip(texts, site.converter.convert_many(texts), strict=True))
