"""Small validators shared by every YAML file we read; each reports and returns None on a problem."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from ..diagnostics import Report, did_you_mean
from ..model import HANS, HANT, Text, check_url
from .files import hidden_character
from .yamlfile import LineDict

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always used with fullmatch: URL segments


def is_id(name: str) -> bool:
    return ID_RE.fullmatch(name) is not None


class Where:
    """A file and a report, so validators can name the line of a key."""

    def __init__(self, path: str, report: Report, data: Any = None, line: int = 1) -> None:
        self.path, self.report, self.line = path, report, line
        self.data = data if isinstance(data, LineDict) else None

    def at(self, key: Any) -> int:
        return self.data.line_of(key, self.line) if self.data is not None else self.line

    def error(self, key: Any, message: str) -> None:
        self.report.error(self.path, self.at(key), message)


def check_mapping(where: Where, what: str, required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
    """Report missing and unknown keys; True when every required key is there."""
    data = where.data
    if data is None:
        where.report.error(where.path, where.line, f"{what} must be a mapping of key: value")
        return False
    for key in data:
        if key not in required and key not in optional:
            hint = did_you_mean(str(key), required + optional)
            where.error(key, f"{what}: unknown key '{key}'{hint or '; allowed: ' + ', '.join(required + optional)}")
    missing = [k for k in required if k not in data]
    for key in missing:
        where.report.error(where.path, where.line, f"{what}: missing required key '{key}'; add `{key}: …`")
    return not missing


def as_str(where: Where, key: str, what: str) -> str | None:
    value = where.data.get(key) if where.data is not None else None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or str(value).strip() == "":
        where.error(key, f"{what}: '{key}' must be non-empty text")
        return None
    hidden = hidden_character(str(value))  # written as a YAML escape such as "\a"
    if hidden is not None:
        where.error(key, f"{what}: '{key}': {hidden}")
        return None
    return str(value).strip()


def as_text(where: Where, key: str, what: str) -> Text | None:
    """A plain zh-Hans string, or a mapping {zh-Hans: …, zh-Hant: …}."""
    value = where.data.get(key) if where.data is not None else None
    if isinstance(value, dict):
        if set(value) - {HANS, HANT} or not isinstance(value.get(HANS), str) or not value.get(HANS, "").strip():
            where.error(key, f"{what}: '{key}' must be text or a mapping with keys {HANS} and {HANT}")
            return None
        hant = value.get(HANT)
        hidden = hidden_character(value[HANS] + (hant if isinstance(hant, str) else ""))
        if hidden is not None:
            where.error(key, f"{what}: '{key}': {hidden}")
            return None
        return Text(value[HANS].strip(), hant.strip() if isinstance(hant, str) else None)
    text = as_str(where, key, what)
    return Text(text) if text is not None else None


def as_date(where: Where, key: str, what: str) -> dt.date | None:
    value = where.data.get(key) if where.data is not None else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value.strip())
    where.error(key, f"{what}: '{key}' must be a date written YYYY-MM-DD (got {value!r})")
    return None


def as_url(where: Where, key: str, what: str, schemes: tuple[str, ...] = ("https",)) -> str | None:
    value = as_str(where, key, what)
    if value is not None and not check_url(value, schemes):
        where.error(key, f"{what}: '{key}' must be a full {' or '.join(schemes)} URL (got {value!r})")
        return None
    return value


def as_id(where: Where, key: str, what: str) -> str | None:
    value = as_str(where, key, what)
    if value is not None and not is_id(value):
        where.error(key, f"{what}: '{key}' must be lowercase letters, digits and '-' (got {value!r})")
        return None
    return value
