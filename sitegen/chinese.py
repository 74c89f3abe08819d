"""zh-Hans -> zh-Hant: OpenCC plus a reviewed glossary, applied to text only.

Glossary phrases are swapped for private-use placeholders before OpenCC runs, so
their Traditional form never passes through OpenCC (which would convert it twice).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report

_PUA = 0xE000
_SEP = "\x1e"  # joins batched texts; OpenCC passes it through untouched
_QUOTES = (("“", "「"), ("”", "」"), ("‘", "『"), ("’", "』"))
# Valid Traditional characters that OpenCC still maps (干擾, 公里, 櫃台, 皇后, 其余 is not, but 余 is a surname).
ALLOWED_IN_HANT = set("干台里后余")


@functools.cache
def opencc_converter(profile: str):  # type: ignore[no-untyped-def]
    """One OpenCC object per profile per process: building one costs ~10 ms."""
    import opencc

    return opencc.OpenCC(profile)


@dataclass(frozen=True)
class GlossaryEntry:
    hans: str
    hant: str
    line: int


def read_glossary(path: Path, name: str, report: Report) -> list[GlossaryEntry]:
    """The TSV glossary: zh-Hans<TAB>zh-Hant[<TAB>note]; '#' lines are comments."""
    if not path.is_file():
        return []
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text("utf-8-sig").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            report.error(name, number, "glossary: write 'zh-Hans<TAB>zh-Hant', optionally <TAB>note")
            continue
        hans = cells[0].strip()
        if hans in seen:
            report.error(name, number, f"glossary: '{hans}' is already defined at line {seen[hans]}")
            continue
        seen[hans] = number
        entries.append(GlossaryEntry(hans, cells[1].strip(), number))
    return entries


class Converter:
    """Converts zh-Hans text to zh-Hant and remembers which glossary entries it used."""

    def __init__(self, profile: str, glossary: list[GlossaryEntry]) -> None:
        self.profile = profile
        self.entries = sorted(glossary, key=lambda e: (-len(e.hans), e.hans))
        self._pattern = _alternation(tuple(e.hans for e in self.entries))
        self._placeholders = {e.hans: chr(_PUA + i) for i, e in enumerate(self.entries)}
        self._restore_pattern = re.compile(
            f"[{chr(_PUA)}-{chr(_PUA + len(self.entries) - 1)}]") if self.entries else None

    def convert(self, text: str) -> str:
        return self.convert_many([text])[0]

    def convert_many(self, texts: list[str]) -> list[str]:
        """Convert a batch in one OpenCC call; the order and count of texts is kept."""
        if not texts:
            return []
        if any(_SEP in t for t in texts):
            return [self._convert_one(t) for t in texts]
        out = self._convert_one(_SEP.join(texts)).split(_SEP)
        assert len(out) == len(texts)
        return out

    def glossary_hits(self, text: str) -> dict[str, int]:
        """How often each glossary phrase occurs in text (longest match wins, as in conversion)."""
        hits: dict[str, int] = {}
        for phrase in self._pattern.findall(text) if self._pattern else []:
            hits[phrase] = hits.get(phrase, 0) + 1
        return hits

    def marked(self, text: str) -> str:
        """The conversion with glossary hits wrapped in ⟦ ⟧, for `sitegen convert`."""
        return self._convert_one(text, mark=True)

    def _convert_one(self, text: str, mark: bool = False) -> str:
        protected = self._protect(text)
        converted = opencc_converter(self.profile).convert(protected) if protected else protected
        return _quotes(self._restore(converted, mark))

    def _protect(self, text: str) -> str:
        # One pattern of all phrases, compiled once: a pattern of just the phrases present in a
        # text scans a little faster, but guides differ, so it was compiled anew for nearly each.
        if self._pattern is None or not self._pattern.search(text):
            return text
        return self._pattern.sub(lambda m: self._placeholders[m.group(0)], text)

    def _restore(self, text: str, mark: bool) -> str:
        if self._restore_pattern is None or not self._restore_pattern.search(text):
            return text

        def back(ch: re.Match[str]) -> str:
            hant = self.entries[ord(ch.group(0)) - _PUA].hant
            return f"⟦{hant}⟧" if mark else hant

        return self._restore_pattern.sub(back, text)


def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Leftmost match, longest phrase first (phrases come sorted longest first)."""
    return re.compile("|".join(map(re.escape, phrases))) if phrases else None


def _quotes(text: str) -> str:
    """Curly quotes become corner brackets, as Taiwan writes them."""
    for curly, corner in _QUOTES:
        if curly in text:
            text = text.replace(curly, corner)
    return text


@functools.cache
def _changes(profile: str, char: str) -> bool:
    return opencc_converter(profile).convert(char) != char


_CJK = range(0x4E00, 0xA000)  # the unified ideographs that both scripts share


@functools.cache
def _traditional_only_pattern() -> re.Pattern[str]:
    """Any character that only Traditional writing uses: one that OpenCC's t2s changes when it
    stands alone. Found once per process with one call (newlines keep characters apart), so a
    text is then scanned in C; taking set(text) cost more than the rest of a guide's checks."""
    chars = [chr(code) for code in _CJK]
    converted = opencc_converter("t2s").convert("\n".join(chars)).split("\n")
    changed = [c for c, new in zip(chars, converted, strict=True) if new != c]
    return re.compile(f"[{''.join(changed)}]")


def traditional_only(text: str) -> list[str]:
    """Characters in a zh-Hans text that only Traditional writing uses (sorted, unique)."""
    return sorted(set(_traditional_only_pattern().findall(text)))


def simplified_only(text: str) -> list[str]:
    """Characters left in a zh-Hant text that only Simplified writing uses (sorted, unique)."""
    return sorted(c for c in set(text) if "\u4e00" <= c <= "\u9fff" and c not in ALLOWED_IN_HANT
                  and _changes("s2tw", c))
