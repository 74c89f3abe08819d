"""Split a guide into YAML front matter and Markdown body, and validate the front matter."""

from __future__ import annotations

import hashlib
import re

from ..diagnostics import ContentError, Report
from ..model import FrontMatter, Source, check_url
from .schema import Where, as_date, as_str, check_mapping
from .yamlfile import load_yaml

REQUIRED = ("title", "summary", "updated")
OPTIONAL = ("sources", "draft", "order", "translated_from", "checked")
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)


def digest(text: str) -> str:
    """The version id of a source text: what a translation records it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """(yaml, body, line of the body's first line)."""
    if not text.startswith("---"):
        message = "no front matter: start the file with a '---' line, then title, summary and updated, then '---'"
        raise ContentError(path, 1, message)
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        raise ContentError(path, 1, "front matter must open with a line that is only '---'")
    end = _FENCE.search(text, first_nl + 1)
    if end is None:
        raise ContentError(path, 1, "front matter is not closed: add a line '---' after it")
    yaml_text = text[first_nl + 1 : end.start()]
    body_start = text.find("\n", end.end())
    body = text[body_start + 1 :] if body_start >= 0 else ""
    return yaml_text, body, yaml_text.count("\n") + 3


def parse_source(text: str, path: str, report: Report) -> Source | None:
    """Parse one Markdown file; None (with diagnostics) when its front matter is unusable."""
    try:
        yaml_text, body, body_line = split_front_matter(text, path)
        data = load_yaml(yaml_text, path, line_offset=1)
    except ContentError as err:
        report.items.append(err.diagnostic)
        return None
    meta = parse_meta(data, path, report)
    return Source(path, meta, body, body_line, digest(text)) if meta is not None else None


def parse_meta(data: object, path: str, report: Report) -> FrontMatter | None:
    where = Where(path, report, data, 1)
    if not check_mapping(where, "front matter", REQUIRED, OPTIONAL):
        return None
    assert where.data is not None
    title, summary = (as_str(where, key, "front matter") for key in ("title", "summary"))
    updated = as_date(where, "updated", "front matter")
    sources = _sources(where)
    draft, order = where.data.get("draft", False), where.data.get("order", 0)
    if not isinstance(draft, bool):
        where.error("draft", "front matter: 'draft' must be true or false")
    if isinstance(order, bool) or not isinstance(order, int):
        where.error("order", "front matter: 'order' must be a whole number")
    translated = where.data.get("translated_from")
    if translated is not None and not (isinstance(translated, str) and re.fullmatch(r"[0-9a-f]{12}", translated)):
        message = "front matter: 'translated_from' must be the 12-character hash that `sitegen review` writes"
        where.error("translated_from", message)
        translated = None
    checked = as_date(where, "checked", "front matter") if "checked" in where.data else updated
    if None in (title, summary, updated, sources, checked) or not isinstance(draft, bool) or type(order) is not int:
        return None
    return FrontMatter(title, summary, updated, sources, draft, order, translated, checked)  # type: ignore[arg-type]


def _sources(where: Where) -> tuple[str, ...] | None:
    assert where.data is not None
    value = where.data.get("sources", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        where.error("sources", "front matter: 'sources' must be a list of https URLs")
        return None
    bad = [v for v in value if not check_url(v)]
    for url in bad:
        where.error("sources", f"front matter: source {url!r} is not a full https URL")
    return None if bad else tuple(value)
