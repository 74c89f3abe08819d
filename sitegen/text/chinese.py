"""zh-Hans -> zh-Hant: OpenCC plus a reviewed glossary and context rules, applied to text only.

Glossary phrases and rule matches are swapped for private-use placeholders before OpenCC runs,
so their Traditional form never passes through OpenCC (which would convert it twice). A rule
is a word whose Taiwan form depends on its neighbours (通过 is 透過 "by way of", but 通過 where
something passes): each of its forms names the text that must stand before or after the word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report

_PUA = 0xE000
_SEP = "\x1e"  # joins batched texts; OpenCC passes it through untouched
_QUOTES = (("“", "「"), ("”", "」"), ("‘", "『"), ("’", "』"))
# Valid Traditional characters that OpenCC still maps (干擾, 公里, 櫃台, 皇后, 其余 is not, but 余 is a surname).
ALLOWED_IN_HANT = set("干台里后余")
_CONTEXT = re.compile(r"([^\[\]]*)\[([^\[\]]+)\]([^\[\]]*)")


@functools.cache
def opencc_converter(profile: str):  # type: ignore[no-untyped-def]
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
    note: str = ""
    rule: str = ""  # the context rule this is a form of

    @property
    def where(self) -> str:
        here = f"{self.path}:{self.line}"
        return f"rule {self.rule} ({here})" if self.rule else here

    def pattern(self) -> str:
        before = f"(?<={re.escape(self.before)})" if self.before else ""
        after = f"(?={re.escape(self.after)})" if self.after else ""
        return f"{before}({re.escape(self.hans)}){after}"


def glossary_files(path: Path) -> list[Path]:
    """A glossary is one .tsv file or a folder of them (one per domain), read in name order."""
    return sorted(path.glob("*.tsv")) if path.is_dir() else [path]


def read_glossary(path: Path, name: str, report: Report) -> list[GlossaryEntry]:
    """zh-Hans<TAB>zh-Hant[<TAB>note] lines; '#' lines are comments. A missing glossary is an
    error: conversion without it would publish mainland wording."""
    if not path.exists():
        report.error(name, 1, "conversion glossary not found; create it or fix conversion.glossary in site.yaml")
        return []
    entries: list[GlossaryEntry] = []
    for file in glossary_files(path):
        where = name if file == path else f"{name.rstrip('/')}/{file.name}"
        for number, cells in _rows(file, where, report):
            if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
                report.error(where, number, "glossary: write 'zh-Hans<TAB>zh-Hant', optionally <TAB>note")
                continue
            note = cells[2].strip() if len(cells) > 2 else ""
            entries.append(GlossaryEntry(cells[0].strip(), cells[1].strip(), where, number, note=note))
    return entries


def _rows(file: Path, name: str, report: Report) -> Iterable[tuple[int, list[str]]]:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        report.error(name, 1, f"not valid UTF-8 ({err.reason}); save it as UTF-8")
        return
    except OSError as err:
        report.error(name, 1, f"cannot read: {err.strerror}")
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line.split("\t")


@dataclass(frozen=True)
class RuleTest:
    phrase: str
    sentence: str
    expected: str


@dataclass(frozen=True)
class Rule:
    """A word whose Taiwan form depends on its sense, told apart by the words around it."""

    name: str
    sense: str
    forms: tuple[GlossaryEntry, ...]
    tests: tuple[RuleTest, ...] = field(default=())


def parse_rules(data: object, name: str, report: Report) -> list[Rule]:
    """i18n/rules.yaml: {rule name: {sense, default, when: [{context, hant}], tests: [...]}}.
    A context is the zh-Hans text with the word in brackets: '审核[通过]'."""
    if not isinstance(data, dict):
        report.error(name, 1, "rules: write a mapping of rule names to {sense, default, when, tests}")
        return []
    rules = []
    for rule_name, body in data.items():
        line = data.lines.get(rule_name, 1) if hasattr(data, "lines") else 1
        rule = _parse_rule(str(rule_name), body, name, line, report)
        if rule is not None:
            rules.append(rule)
    return rules


def _parse_rule(rule_name: str, body: object, path: str, line: int, report: Report) -> Rule | None:
    if (
        not isinstance(body, dict)
        or not {"sense", "default", "when", "tests"} <= set(body)
        or not isinstance(body["when"], list)
        or not isinstance(body["tests"], list)
    ):
        report.error(path, line, f"rule '{rule_name}': give sense, default, when (a list) and tests (a list)")
        return None
    forms = [GlossaryEntry(rule_name, str(body["default"]), path, line, rule=rule_name)]
    for item in body["when"]:
        match = _CONTEXT.fullmatch(str(item.get("context", ""))) if isinstance(item, dict) else None
        if match is None or match.group(2) != rule_name or not item.get("hant"):
            report.error(
                path,
                line,
                f"rule '{rule_name}': each 'when' item is {{context: 'before[{rule_name}]after', "
                "hant: form}} with the rule's word in brackets",
            )
            return None
        forms.append(
            GlossaryEntry(rule_name, str(item["hant"]), path, line, match.group(1), match.group(3), rule=rule_name)
        )
    tests = [
        RuleTest(str(t.get("phrase", "")), str(t.get("sentence", "")), str(t.get("expected", "")))
        for t in body["tests"]
        if isinstance(t, dict)
    ]
    if len(tests) != len(body["tests"]) or not tests or any(t.phrase not in t.sentence for t in tests):
        report.error(
            path,
            line,
            f"rule '{rule_name}': each test is {{phrase, sentence, expected}}, and the phrase is part of the sentence",
        )
        return None
    return Rule(rule_name, str(body["sense"]), tuple(forms), tuple(tests))


def check_duplicates(entries: list[GlossaryEntry], report: Report) -> list[GlossaryEntry]:
    """Each word once without context: a second definition is an error at its line."""
    seen: dict[tuple[str, str, str], GlossaryEntry] = {}
    kept = []
    for entry in entries:
        first = seen.setdefault((entry.before, entry.hans, entry.after), entry)
        if first is entry:
            kept.append(entry)
            continue
        report.error(entry.path, entry.line, f"glossary: '{entry.hans}' is already defined at {first.where}")
    return kept


class Converter:
    """Converts zh-Hans text to zh-Hant and can say which entry made each change."""

    def __init__(self, profile: str, glossary: list[GlossaryEntry]) -> None:
        self.profile = profile
        # leftmost match; at one position the longest word first, and a word's forms with
        # context before its default
        self.entries = sorted(glossary, key=lambda e: (-len(e.hans), -len(e.before + e.after), e.hans))
        self._pattern = re.compile("|".join(e.pattern() for e in self.entries)) if self.entries else None
        self._restore_pattern = (
            re.compile(f"[{chr(_PUA)}-{chr(_PUA + len(self.entries) - 1)}]") if self.entries else None
        )

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

    def matches(self, text: str) -> list[GlossaryEntry]:
        """The entries conversion uses in text, in order (leftmost, longest first)."""
        if self._pattern is None:
            return []
        return [self.entries[m.lastindex - 1] for m in self._pattern.finditer(text) if m.lastindex]

    def marked(self, text: str, explain: bool = False) -> str:
        """The conversion with each glossary and rule change marked ⟦zh-Hant⟧, or with explain
        ⟦zh-Hant ← zh-Hans · the entry that made it⟧; the rest is OpenCC's."""
        return self._convert_one(text, mark="full" if explain else "short")

    def _convert_one(self, text: str, mark: str = "") -> str:
        protected = self._protect(text)
        converted = opencc_converter(self.profile).convert(protected) if protected else protected
        return _quotes(self._restore(converted, mark))

    def _protect(self, text: str) -> str:
        if self._pattern is None or not self._pattern.search(text):
            return text
        return self._pattern.sub(lambda m: chr(_PUA + m.lastindex - 1), text)

    def _restore(self, text: str, mark: str) -> str:
        if self._restore_pattern is None or not self._restore_pattern.search(text):
            return text

        def back(ch: re.Match[str]) -> str:
            entry = self.entries[ord(ch.group(0)) - _PUA]
            if mark == "full":
                return f"⟦{entry.hant} ← {entry.hans} · {entry.where}⟧"
            return f"⟦{entry.hant}⟧" if mark else entry.hant

        return self._restore_pattern.sub(back, text)


def _quotes(text: str) -> str:
    """Curly quotes become corner brackets, as Taiwan writes them."""
    for curly, corner in _QUOTES:
        if curly in text:
            text = text.replace(curly, corner)
    return text


@dataclass(frozen=True)
class Term:
    """A form that must not appear in zh-Hant text, and the Taiwan form to use instead."""

    mainland: str
    taiwan: str
    where: str
    note: str = ""


def read_terms(path: Path, name: str, report: Report) -> list[Term]:
    """i18n/mainland-terms.tsv: mainland form (in Traditional characters)<TAB>Taiwan form[<TAB>note]."""
    if not path.is_file():
        return []
    terms = []
    for number, cells in _rows(path, name, report):
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            report.error(name, number, "mainland terms: write 'mainland form<TAB>Taiwan form', optionally <TAB>note")
            continue
        terms.append(
            Term(cells[0].strip(), cells[1].strip(), f"{name}:{number}", cells[2].strip() if len(cells) > 2 else "")
        )
    return terms


class TermLint:
    """Finds mainland-only terms in zh-Hant text."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = {t.mainland: t for t in terms}
        ordered = sorted(self.terms, key=lambda m: (-len(m), m))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def find(self, text: str) -> list[Term]:
        if self._pattern is None:
            return []
        return [self.terms[m.group(0)] for m in self._pattern.finditer(text)]


@functools.cache
def _changes(profile: str, char: str) -> bool:
    return opencc_converter(profile).convert(char) != char


_CJK = range(0x4E00, 0xA000)  # the unified ideographs that both scripts share


@functools.cache
def _traditional_only_pattern() -> re.Pattern[str]:
    """Any character that only Traditional writing uses: one that OpenCC's t2s changes when it
    stands alone. Found once per process with one call (newlines keep characters apart)."""
    chars = [chr(code) for code in _CJK]
    converted = opencc_converter("t2s").convert("\n".join(chars)).split("\n")
    changed = [c for c, new in zip(chars, converted, strict=True) if new != c]
    return re.compile(f"[{''.join(changed)}]")


def traditional_only(text: str) -> list[str]:
    """Characters in a zh-Hans text that only Traditional writing uses (sorted, unique)."""
    return sorted(set(_traditional_only_pattern().findall(text)))


def simplified_only(text: str) -> list[str]:
    """Characters left in a zh-Hant text that only Simplified writing uses (sorted, unique)."""
    return sorted(
        c for c in set(text) if "\u4e00" <= c <= "\u9fff" and c not in ALLOWED_IN_HANT and _changes("s2tw", c)
    )


@dataclass(frozen=True)
class Concept:
    """Competing zh-Hant forms of one idea: the site uses the preferred one consistently."""

    name: str
    preferred: str
    alternatives: tuple[str, ...]


def read_vocabulary(path: Path, name: str, report: Report) -> list[Concept]:
    """i18n/vocabulary.tsv: concept<TAB>preferred form<TAB>alternatives separated by |[<TAB>note]."""
    if not path.is_file():
        return []
    concepts = []
    for number, cells in _rows(path, name, report):
        if len(cells) < 3 or not all(c.strip() for c in cells[:3]):
            report.error(
                name, number, "vocabulary: write 'concept<TAB>preferred<TAB>alternative|…', optionally <TAB>note"
            )
            continue
        concepts.append(Concept(cells[0].strip(), cells[1].strip(), tuple(a.strip() for a in cells[2].split("|"))))
    return concepts


def vocabulary_differences(hand: str, converted: str, concepts: list[Concept]) -> list[tuple[str, str, str]]:
    """Where a conversion of a page's source uses one form of a concept more often than the
    hand-written page does, while the hand-written page uses another form more often:
    (concept, the converted form, the hand-written form)."""
    found = []
    for concept in concepts:
        forms = (concept.preferred, *concept.alternatives)
        more = [f for f in forms if converted.count(f) > hand.count(f)]
        fewer = [f for f in forms if hand.count(f) > converted.count(f)]
        found += [(concept.name, m, f) for m in more for f in fewer]
    return found
