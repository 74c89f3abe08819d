"""`sitegen check`: everything the build validates, plus translation state and fact age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .build import Options, Result, render_site
from .diagnostics import Report
from .discover import Content



@dataclass(frozen=True)
class Translation:
    key: str
    state: str  # converted, hand-written, stale
    file: str


def check(options: Options) -> tuple[Result, list[Translation]]:
    result = render_site(options)
    if result.site is None:
        return result, []
    content = result.site.content
    _check_fact_age(content, result.site.today, result.report)
    return result, translation_states(content, result.report)


def translation_states(content: Content, report: Report) -> list[Translation]:
    """Each guide's zh-Hant: converted, hand-written, or stale (its source changed since)."""
    states = []
    for guide in content.guides:
        if guide.hant is None:
            states.append(Translation(guide.key, "converted", guide.hans.src))
            continue
        recorded = guide.hant.meta.translated_from
        if recorded == guide.hans.digest:
            states.append(Translation(guide.key, "hand-written", guide.hant.src))
            continue
        states.append(Translation(guide.key, "stale", guide.hant.src))
        why = "records no source version" if recorded is None else "was written for an older version of"
        report.warning(guide.hant.src, 1, f"zh-Hant translation is stale: it {why} {guide.hans.src}; "
                       f"update it, then run `sitegen review {guide.hant.src}`", "stale-translation")
    return states


def _check_fact_age(content: Content, today: dt.date, report: Report) -> None:
    for fact in content.all_facts():
        if fact.due(today):
            report.warning(fact.src, fact.line, f"fact '{fact.ref_key}' was checked on "
                           f"{fact.checked.isoformat()}, more than 12 months ago; open its source "
                           "again and update 'checked'", "fact-due")


DUE_TITLE = "Facts due for re-check"  # the title of the issue the weekly workflow keeps


def due_report(options: Options) -> tuple[str, Report]:
    """The facts due for a check, as the Markdown body of the weekly issue: the most recently
    checked first (new work on top), each with its key, value, source and file."""
    from .discover import discover
    from .model import build_date

    report = Report()
    content = discover(options.content, options.root, report)
    today = options.today or build_date()
    due = sorted((f for f in content.all_facts() if f.due(today)), key=lambda f: (-f.checked.toordinal(), f.ref_key))
    lines = ["<!-- written by `sitegen check --due`; the weekly workflow keeps this issue up to date -->",
             f"**{len(due)}** facts were last checked more than 12 months before {today.isoformat()}.", ""]
    if due:
        lines += ["Open each source. If it still says the same, set `checked` to that day; if it "
                  "changed, update `value` (and `as_of`) too.", "",
                  "| Fact | Value | Source | Checked | File |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| `{f.ref_key}` | `{_cell(f.value)}`{' ' + f.unit if f.unit else ''} | {_cell(f.source)} | {f.checked.isoformat()} | "
                  f"`{f.src}:{f.line}` |" for f in due]
    return "\n".join(lines) + "\n", report


def _cell(text: str) -> str:
    """Text for a Markdown table cell: pipes and backticks would end it."""
    return text.replace("|", "\\|").replace("`", "'")
