"""`sitegen check`: everything the build validates, plus translation state, vocabulary and fact
age; `check --due` writes the Markdown of the weekly issue of facts due for a check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..build import Result, render_site
from ..content.discover import Content, discover
from ..content.vocab import VocabReader
from ..diagnostics import Report
from ..model import Options, build_date
from ..site.assemble import Site
from ..text.chinese import vocabulary_differences

HOW_TO_CHECK = "Open each source. If it still says the same, set `checked` to that day; if it changed, update `value` (and `as_of`) too."


@dataclass(frozen=True)
class Translation:
    key: str
    state: str  # converted, hand-written, stale
    file: str


def check(options: Options) -> tuple[Result, list[Translation]]:
    result = render_site(options)
    if result.site is None:
        return result, []
    _check_fact_age(result.site.content, result.site.today, result.report)
    _check_vocabulary(result.site, options, result.report)
    return result, translation_states(result.site.content, result.report)


def translation_states(content: Content, report: Report) -> list[Translation]:
    """Each guide's zh-Hant: converted, hand-written, or stale (its source changed since)."""
    states = []
    for guide in content.guides:
        if guide.hant is None:
            states.append(Translation(guide.key, "converted", guide.hans.src))
            continue
        recorded = guide.hant.meta.translated_from
        stale = recorded != guide.hans.digest
        states.append(Translation(guide.key, "stale" if stale else "hand-written", guide.hant.src))
        if stale:
            why = "records no source version" if recorded is None else "was written for an older version of"
            message = f"zh-Hant translation is stale: it {why} {guide.hans.src}; update it, then run `sitegen review {guide.hant.src}`"
            report.warning(guide.hant.src, 1, message, "stale-translation")
    return states


def _check_fact_age(content: Content, today: dt.date, report: Report) -> None:
    for fact in content.facts.values():
        if fact.due(today):
            message = f"fact '{fact.ref_key}' was checked on {fact.checked.isoformat()}, more than 12 months ago; open its source again and update 'checked'"
            report.warning(fact.src, fact.line, message, "fact-due")


def _check_vocabulary(site: Site, options: Options, report: Report) -> None:
    """A hand-written page and the conversion of its source use the same form of each concept (vocabulary.tsv)."""
    concepts = VocabReader(options.root, report).vocabulary(options.root / site.config.conversion.vocabulary)
    for guide in site.guides.values():
        if guide.hant is None:
            continue
        converted = site.converter.convert(guide.hans.meta.title + "\n" + guide.hans.body)
        hand = guide.hant.meta.title + "\n" + guide.hant.body
        for concept, theirs, ours in vocabulary_differences(hand, converted, concepts):
            message = f"vocabulary '{concept}': this page says '{ours}' where converted pages say '{theirs}'; use one form site-wide (i18n/vocabulary.tsv)"
            report.warning(guide.hant.src, 1, message, "vocabulary")


def due_report(options: Options) -> tuple[str, Report]:
    """The facts due for a check as the weekly issue's Markdown, the most recently checked first (new work on top)."""
    report = Report()
    content = discover(options.content, options.root, report)
    today = options.today or build_date()
    due = sorted((f for f in content.facts.values() if f.due(today)), key=lambda f: (-f.checked.toordinal(), f.ref_key))
    head = f"**{len(due)}** facts were last checked more than 12 months before {today.isoformat()}."
    lines = ["<!-- written by `sitegen check --due`; the weekly workflow keeps this issue up to date -->", head, ""]
    if due:
        lines += [HOW_TO_CHECK, "", "| Fact | Value | Source | Checked | File |", "| --- | --- | --- | --- | --- |"]
    for f in due:
        value = f"`{_cell(f.value)}`" + (f" {f.unit}" if f.unit else "")
        lines.append(f"| `{f.ref_key}` | {value} | {_cell(f.source)} | {f.checked.isoformat()} | `{f.src}:{f.line}` |")
    return "\n".join(lines) + "\n", report


def _cell(text: str) -> str:
    """Text for a Markdown table cell: pipes and backticks would end it."""
    return text.replace("|", "\\|").replace("`", "'")
