"""topics.yaml, operators/<id>.yaml and facts.yaml: validated into Topic, Operator and Fact."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..diagnostics import Report
from ..model import Fact, Operator, Topic
from .schema import Where, as_date, as_id, as_str, as_text, as_url, check_mapping, is_id

_AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,4})?")  # what a unit's value may be: 15, 0.10
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FACT_REQUIRED = ("value", "source", "checked")
FACT_OPTIONAL = ("as_of", "since", "label", "note", "unit", "ref", "history")
RENAME_VERIFIED = "'verified' is now two dates: rename it to 'checked' (the day you opened the source and saw it say this) and, if the source states a date, add 'as_of'"
UNITS = ("AZN", "days")


def parse_topics(data: object, path: str, report: Report) -> list[Topic]:
    """topics.yaml is a list of {id, title, summary}; list order is site order."""
    if not isinstance(data, list):
        report.error(path, 1, "topics.yaml must be a list of topics, each '- id: …'")
        return []
    topics: list[Topic] = []
    for item in data:
        where = Where(path, report, item, getattr(item, "lines", {}).get("id", 1))
        if not check_mapping(where, "topic", ("id", "title", "summary"), ("facts",)):
            continue
        topic_id = as_id(where, "id", "topic")
        title, summary = as_text(where, "title", "topic"), as_text(where, "summary", "topic")
        facts = _fact_keys(where)
        if topic_id and title and summary:
            topics.append(Topic(topic_id, title, summary, where.at("id"), facts))
    return topics


def _fact_keys(where: Where) -> tuple[str, ...]:
    assert where.data is not None
    keys = where.data.get("facts", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) and is_id(k) for k in keys):
        where.error("facts", "topic: 'facts' must be a list of fact keys like 'balance'")
        return ()
    return tuple(keys)


def parse_operator(op_id: str, data: object, path: str, report: Report) -> Operator | None:
    where = Where(path, report, data)
    if not check_mapping(where, "operator", ("name", "website"), ("summary", "facts")):
        return None
    name = as_str(where, "name", "operator")
    website = as_url(where, "website", "operator")
    if name is None or website is None:
        return None
    assert where.data is not None
    summary = as_text(where, "summary", "operator") if "summary" in where.data else None
    facts = parse_facts(op_id, where.data.get("facts", {}), path, report, where.at("facts"))
    return Operator(op_id, name, website, path, summary, tuple(facts.values()))


def parse_facts(owner: str, data: object, path: str, report: Report, line: int = 1) -> dict[str, Fact]:
    """A mapping key -> {value, source, checked, …}."""
    if data is None or data == {}:
        return {}
    where = Where(path, report, data, line)
    if where.data is None:
        report.error(path, line, "'facts' must be a mapping of key: {value, source, checked}")
        return {}
    facts: dict[str, Fact] = {}
    for key, item in where.data.items():
        if not isinstance(key, str) or not is_id(key):
            where.error(key, f"fact key {key!r} must be lowercase letters, digits and '-'")
            continue
        fact = _parse_fact(owner, key, Where(path, report, item, where.at(key)))
        if fact is not None:
            facts[key] = fact
    return facts


def _parse_fact(owner: str, key: str, where: Where) -> Fact | None:
    what = f"fact '{owner}.{key}'"
    if isinstance(where.data, dict) and "verified" in where.data and "checked" not in where.data:
        # files written before 'checked' and 'as_of' keep working, with a warning
        where.report.warning(where.path, where.at("verified"), f"{what}: {RENAME_VERIFIED}", "renamed-key")
        where.data = where.data.renamed("verified", "checked")
    if not check_mapping(where, what, FACT_REQUIRED, FACT_OPTIONAL):
        return None
    assert where.data is not None
    value = as_str(where, "value", what)
    source = as_url(where, "source", what)
    checked = as_date(where, "checked", what)
    # each optional date: None when absent, False when invalid (reported)
    as_of, since = ((as_date(where, k, what) or False) if k in where.data else None for k in ("as_of", "since"))
    unit = where.data.get("unit")
    if unit is not None and unit not in UNITS:
        where.error("unit", f"{what}: 'unit' must be one of {', '.join(UNITS)} (got {unit!r})")
        return None
    history = where.data.get("history", False)
    if not isinstance(history, bool):
        where.error("history", f"{what}: 'history' must be true or false")
        return None
    if value is None or source is None or checked is None or as_of is False or since is False:
        return None
    if unit and not _AMOUNT.fullmatch(value):
        where.error("value", f"{what}: a value with a unit must be a plain number like 15 or 0.10 (got {value!r})")
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            where.error("value", f"{what}: {value!r} is not a real date; write YYYY-MM-DD")
            return None
    texts = {k: as_text(where, k, what) if k in where.data else None for k in ("label", "note")}
    ref = str(where.data["ref"]) if "ref" in where.data else None
    extra: dict[str, Any] = {"as_of": as_of or None, "since": since or None, "unit": unit, "ref": ref, **texts}
    return Fact(owner, key, value, source, checked, where.path, where.line, history=history, **extra)
