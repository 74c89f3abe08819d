"""`sitegen check`: everything the build validates, plus translation state and fact age."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .build import Options, Result, render_site
from .diagnostics import Report
from .discover import Content

FACT_MAX_AGE = dt.timedelta(days=365)


@dataclass(frozen=True)
class Translation:
    key: str
    state: str  # converted, hand-written, stale
    file: str


def today() -> dt.date:
    """'Now' for age checks: SOURCE_DATE_EPOCH when set, so results are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def check(options: Options) -> tuple[Result, list[Translation]]:
    result = render_site(options)
    if result.site is None:
        return result, []
    content = result.site.content
    _check_fact_age(content, today(), result.report)
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
                       f"update it, then run `sitegen review {guide.hant.src}`")
    return states


def _check_fact_age(content: Content, now: dt.date, report: Report) -> None:
    for fact in content.all_facts():
        if not fact.history and now - fact.verified > FACT_MAX_AGE:
            report.warning(fact.src, fact.line, f"fact '{fact.ref_key}' was verified on "
                           f"{fact.verified.isoformat()}, more than 12 months ago; check the source "
                           "again and update 'verified'")
