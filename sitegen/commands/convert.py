"""`sitegen convert FILE`: the zh-Hant a contributor would get, glossary hits marked ⟦…⟧."""

from __future__ import annotations

import re
from collections import Counter

from ..text.chinese import Converter, GlossaryEntry

# Spans that are never converted: fenced code, inline code, link targets, facts, overrides, URLs.
_PROTECTED = re.compile(
    r"(^```.*?^```[ \t]*$|^~~~.*?^~~~[ \t]*$|`[^`\n]+`|\]\([^)\n]*\)|\{\{[^}\n]*\}\}|-\{.*?\}-|https?://\S+)",
    re.MULTILINE | re.DOTALL,
)


def preview(text: str, converter: Converter, explain: bool = False) -> tuple[str, Counter[GlossaryEntry]]:
    """The converted text with glossary and rule changes marked, and how often each was used."""
    parts = _PROTECTED.split(text)
    out = [part if i % 2 else converter.marked(part, explain) for i, part in enumerate(parts)]
    return "".join(out), Counter(e for part in parts[::2] for e in converter.matches(part))
