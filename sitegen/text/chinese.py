"""zh-Hans -> zh-Hant: OpenCC plus a reviewed glossary and context rules, applied to text only.

Glossary phrases and rule matches (a rule: a word whose Taiwan form depends on the text around it) are swapped for
private-use placeholders before OpenCC runs, so their Traditional form never passes through OpenCC twice.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic

_PUA = 0xE000
_SEP = "\x1e"  # joins batched texts; OpenCC passes it through untouched
_QUOTES = (("“", "「"), ("”", "」"), ("‘", "『"), ("’", "』"))
_CJK = range(0x4E00, 0xA000)  # the unified ideographs that both scripts share
# Spans `sitegen convert` never converts: fenced code, inline code, link targets, facts, overrides, URLs.
_PROTECTED = re.compile(
    r"(^```.*?^```[ \t]*$|^~~~.*?^~~~[ \t]*$|`[^`\n]+`|\]\([^)\n]*\)|\{\{[^}\n]*\}\}|-\{.*?\}-|https?://\S+)",
    re.MULTILINE | re.DOTALL,
)
_TERM_MESSAGE = "zh-Hant text says '{0.mainland}', which is not Taiwan usage; it should say '{0.taiwan}' (fix the glossary, a rule or the zh-Hant text)"


@functools.cache
def opencc_converter(profile: str) -> Any:
    """One OpenCC object per profile per process: building one costs ~10 ms."""
    import opencc

    return opencc.OpenCC(profile)


@dataclass(frozen=True)
class GlossaryEntry:
    """A zh-Hans word and its zh-Hant form, where the text before and after allows it."""

    hans: str
    hant: str
    path: str
    line: int
    before: str = ""
    after: str = ""
    rule: str = ""  # the context rule this is a form of

    @property
    def where(self) -> str:
        return f"rule {self.rule} ({self.path}:{self.line})" if self.rule else f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Rule:
    """A word whose Taiwan form depends on its sense, with tests: (phrase, sentence, expected)."""

    name: str
    forms: tuple[GlossaryEntry, ...]
    tests: tuple[tuple[str, str, str], ...]


class Converter:
    """Converts zh-Hans text to zh-Hant and can say which entry made each change."""

    def __init__(self, profile: str, glossary: list[GlossaryEntry]) -> None:
        self.profile = profile
        # leftmost match; at one position the longest word first, a word's forms with context first
        self.entries = sorted(glossary, key=lambda e: (-len(e.hans), -len(e.before + e.after), e.hans))
        # Entries by first character: one alternation of 500 words tried at every position of a
        # text took 120 ms per guide; a character class finds the few positions worth trying.
        self._by_first: dict[str, list[tuple[int, GlossaryEntry]]] = {}
        for n, entry in enumerate(self.entries):
            self._by_first.setdefault(entry.hans[0], []).append((n, entry))
        self._starts = re.compile(f"[{re.escape(''.join(self._by_first))}]") if self.entries else None
        self._restore = re.compile(f"[{chr(_PUA)}-{chr(_PUA + max(len(self.entries) - 1, 0))}]")

    def convert(self, text: str) -> str:
        return self.convert_many([text])[0]

    def convert_many(self, texts: list[str]) -> list[str]:
        """Convert a batch in one OpenCC call; the order and count of texts is kept."""
        if not texts or any(_SEP in t for t in texts):
            return [self._convert(t) for t in texts]
        return self._convert(_SEP.join(texts)).split(_SEP)

    def matches(self, text: str) -> list[GlossaryEntry]:
        """The entries conversion uses in text, in order (leftmost, longest first)."""
        return [self.entries[n] for _, n in self._spans(text)]

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """(start, entry number) of each match, leftmost first; at one position the first entry whose word and context
        are there (as a regex alternation of lookbehind, word and lookahead would choose)."""
        found: list[tuple[int, int]] = []
        end = 0
        for m in self._starts.finditer(text) if self._starts else ():
            i = m.start()
            if i < end:
                continue
            for n, entry in self._by_first[text[i]]:
                before = not entry.before or (
                    i >= len(entry.before) and text.startswith(entry.before, i - len(entry.before))
                )
                if before and text.startswith(entry.hans, i) and text.startswith(entry.after, i + len(entry.hans)):
                    found.append((i, n))
                    end = i + len(entry.hans)
                    break
        return found

    def marked(self, text: str, explain: bool = False) -> str:
        """The conversion, glossary and rule changes marked ⟦zh-Hant⟧, or with explain ⟦zh-Hant ← zh-Hans · entry⟧."""
        return self._convert(text, "⟦{0.hant} ← {0.hans} · {0.where}⟧" if explain else "⟦{0.hant}⟧")

    def _convert(self, text: str, mark: str = "") -> str:
        """mark: a format string for each entry's form (given the entry), or '' for the form alone."""
        spans = self._spans(text)
        if spans:
            parts, last = [], 0
            for start, n in spans:
                parts += [text[last:start], chr(_PUA + n)]
                last = start + len(self.entries[n].hans)
            text = "".join(parts) + text[last:]
        text = opencc_converter(self.profile).convert(text) if text else text
        if self.entries and self._restore.search(text):
            text = self._restore.sub(lambda m: self._spaced(m, mark), text)
        for curly, corner in _QUOTES:  # Taiwan writes corner brackets
            text = text.replace(curly, corner)
        return text

    def _spaced(self, m: re.Match[str], mark: str) -> str:
        """An entry's form, set apart by a space where a Latin word (App, QR Code) meets Chinese."""
        entry, text, start, end = self.entries[ord(m.group(0)) - _PUA], m.string, m.start(), m.end()
        form = mark.format(entry) if mark else entry.hant
        if entry.hant[:1].isascii() and entry.hant[:1].isalnum() and start and _wide(text[start - 1]):
            form = " " + form
        if entry.hant[-1:].isascii() and entry.hant[-1:].isalnum() and end < len(text) and _wide(text[end]):
            form += " "
        return form


def _wide(char: str) -> bool:
    """A Chinese character, or the placeholder of another entry (whose form is Chinese too)."""
    return "\u3400" <= char <= "\u9fff" or "\ue000" <= char <= "\uf8ff"


@dataclass(frozen=True)
class Term:
    """A form that must not appear in zh-Hant text, and the Taiwan form to use instead."""

    mainland: str
    taiwan: str


class TermLint:
    """Finds mainland-only terms in zh-Hant text."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = {t.mainland: t for t in terms}
        ordered = sorted(self.terms, key=lambda m: (-len(m), m))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def check(self, src: str, line: int, text: str) -> list[Diagnostic]:
        """An error for each mainland term in a zh-Hant text written at src:line."""
        found = self._pattern.finditer(text) if self._pattern else []
        return [Diagnostic(src, line, _TERM_MESSAGE.format(self.terms[m.group(0)])) for m in found]


@dataclass(frozen=True)
class Concept:
    """Competing zh-Hant forms of one idea: the site uses one of them consistently."""

    name: str
    forms: tuple[str, ...]  # the preferred form first


def vocabulary_differences(hand: str, converted: str, concepts: list[Concept]) -> list[tuple[str, str, str]]:
    """(concept, converted form, hand-written form) where each page uses its form more often than the other does."""
    found = []
    for concept in concepts:
        more = [f for f in concept.forms if converted.count(f) > hand.count(f)]
        found += [(concept.name, m, f) for m in more for f in concept.forms if hand.count(f) > converted.count(f)]
    return found


@functools.cache
def _traditional_only_pattern() -> re.Pattern[str]:
    """Any character only Traditional writing uses (t2s changes it alone); found once, in one call to OpenCC."""
    chars = [chr(code) for code in _CJK]
    converted = opencc_converter("t2s").convert("\n".join(chars)).split("\n")
    return re.compile(f"[{''.join(c for c, new in zip(chars, converted, strict=True) if new != c)}]")


def traditional_only(text: str) -> list[str]:
    """Characters in a zh-Hans text that only Traditional writing uses (sorted, unique)."""
    return sorted(set(_traditional_only_pattern().findall(text)))


def preview(text: str, converter: Converter, explain: bool = False) -> tuple[str, Counter[GlossaryEntry]]:
    """`sitegen convert`: a Markdown source converted, glossary and rule changes marked, and each entry's count."""
    parts = _PROTECTED.split(text)
    out = [part if i % 2 else converter.marked(part, explain) for i, part in enumerate(parts)]
    return "".join(out), Counter(e for part in parts[::2] for e in converter.matches(part))
