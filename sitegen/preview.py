"""`sitegen convert FILE`: the zh-Hant a contributor would get, glossary hits marked ⟦…⟧."""

from __future__ import annotations

import re

from .chinese import Converter

# Spans that are never converted: fenced code, inline code, link targets, facts, overrides, URLs.
_PROTECTED = re.compile(
    r"(^```.*?^```[ \t]*$|^~~~.*?^~~~[ \t]*$|`[^`\n]+`|\]\([^)\n]*\)|\{\{[^}\n]*\}\}|-\{.*?\}-|https?://\S+)",
    re.MULTILINE | re.DOTALL)


def preview(text: str, converter: Converter) -> tuple[str, dict[str, int]]:
    """The converted text, and how often each glossary phrase was used."""
    parts = _PROTECTED.split(text)
    out = [part if i % 2 else converter.marked(part) for i, part in enumerate(parts)]
    hits: dict[str, int] = {}
    for part in parts[::2]:
        for phrase, count in converter.glossary_hits(part).items():
            hits[phrase] = hits.get(phrase, 0) + count
    return "".join(out), hits
