"""`sitegen review FILE`: record that a hand-written zh-Hant page matches its current source."""

from __future__ import annotations

import re
from pathlib import Path

from ..content.frontmatter import digest, split_front_matter
from ..diagnostics import ContentError
from ..model import HANT_SUFFIX, source_of


class ReviewError(Exception):
    pass


def mark_reviewed(hant_file: Path) -> str:
    """Write the zh-Hans source's version into the file's `translated_from`; returns it."""
    if not hant_file.name.endswith(HANT_SUFFIX):
        raise ReviewError(f"{hant_file}: not a hand-written zh-Hant file (*{HANT_SUFFIX})")
    source = hant_file.with_name(source_of(hant_file.name))
    if not source.is_file():
        raise ReviewError(f"{hant_file}: its zh-Hans source {source.name} does not exist")
    version = digest(_normalised(source))
    text = _normalised(hant_file)
    try:
        yaml_text, body, _ = split_front_matter(text, str(hant_file))
    except ContentError as err:
        raise ReviewError(err.diagnostic.format()) from None
    lines = [ln for ln in yaml_text.split("\n") if not re.match(r"^translated_from\s*:", ln)]
    while lines and not lines[-1].strip():
        lines.pop()
    lines.append(f"translated_from: {version}")
    hant_file.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, "utf-8")
    return version


def _normalised(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as err:
        raise ReviewError(f"{path}: not valid UTF-8 ({err.reason}); save it as UTF-8") from None
