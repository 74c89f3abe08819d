"""The conversion's own files, read and checked: the glossary (i18n/glossary/*.tsv), the
context rules (i18n/rules.yaml), the mainland terms no zh-Hant page may use and the concepts
converted and hand-written pages share. All must be inside the project."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import ContentError, Report
from ..text.chinese import Concept, GlossaryEntry, Rule, Term
from .yamlfile import LineDict, load_yaml

_CONTEXT = re.compile(r"([^\[\]]*)\[([^\[\]]+)\]([^\[\]]*)")
_FORMS = {"glossary": "zh-Hans<TAB>zh-Hant", "terms": "mainland form<TAB>Taiwan form"}
_FORMS["vocabulary"] = "concept<TAB>preferred<TAB>alternative|…"
_TEST_SHAPE = "each test is {phrase, sentence, expected}, and the phrase is part of the sentence"


class VocabReader:
    """Reads one project's conversion files, naming them relative to its root."""

    def __init__(self, root: Path, report: Report) -> None:
        self.root, self.report = root.resolve(), report

    def name(self, path: Path) -> str:
        resolved = path.resolve()
        return resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root) else str(path)

    def rows(self, path: Path, what: str, cells: int) -> Iterable[tuple[str, int, list[str]]]:
        """(file name, line, cells) of each line of a .tsv file (or of each file in a folder)."""
        if not path.resolve().is_relative_to(self.root):
            message = "conversion files must be inside the project folder; fix the path in site.yaml's conversion"
            self.report.error(self.name(path), 1, message)
            return
        for file in sorted(path.glob("*.tsv")) if path.is_dir() else [path]:
            name = self.name(file)
            try:
                text = file.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError) as err:
                self.report.error(name, 1, f"cannot read it ({getattr(err, 'reason', err)}); save it as UTF-8 text")
                continue
            for number, line in enumerate(text.splitlines(), 1):
                row = [c.strip() for c in line.split("\t")]
                if not line.strip() or line.startswith("#"):
                    continue
                if len(row) < cells or not all(row[:cells]):
                    self.report.error(name, number, f"{what}: write '{_FORMS[what]}', optionally <TAB>note")
                else:
                    yield name, number, row

    def glossary(self, path: Path) -> list[GlossaryEntry]:
        """A missing glossary is an error: conversion without it would publish mainland wording."""
        if not path.exists():
            message = "conversion glossary not found; create it or fix conversion.glossary in site.yaml"
            self.report.error(self.name(path), 1, message)
            return []
        return [GlossaryEntry(r[0], r[1], name, n) for name, n, r in self.rows(path, "glossary", 2)]

    def terms(self, path: Path) -> list[Term]:
        return [Term(r[0], r[1]) for _, _, r in self.rows(path, "terms", 2)] if path.exists() else []

    def vocabulary(self, path: Path) -> list[Concept]:
        rows = self.rows(path, "vocabulary", 3) if path.exists() else []
        return [Concept(r[0], (r[1], *(a.strip() for a in r[2].split("|")))) for _, _, r in rows]

    def rules(self, path: Path) -> list[Rule]:
        """{name: {sense, default, when: [{context: '审核[通过]', hant}], tests: [{phrase, sentence,
        expected}]}}: the word in brackets, the text around it what must stand there."""
        if not path.is_file():
            return []
        name = self.name(path)
        try:
            data = load_yaml(path.read_bytes().decode("utf-8-sig"), name)
        except ContentError as err:
            self.report.items.append(err.diagnostic)
            return []
        except (OSError, UnicodeDecodeError) as err:
            self.report.error(name, 1, f"cannot read the conversion rules ({err}); save them as UTF-8 text")
            return []
        if not isinstance(data, LineDict):
            self.report.error(name, 1, "rules: write a mapping of rule names to {sense, default, when, tests}")
            return []
        rules = [self._rule(str(word), body, name, data.line_of(word, 1)) for word, body in data.items()]
        return [r for r in rules if r is not None]

    def _rule(self, word: str, body: object, path: str, line: int) -> Rule | None:
        rule = body if isinstance(body, dict) else {}
        when, tests = rule.get("when"), rule.get("tests")
        if {"sense", "default"} - set(rule) or not isinstance(when, list) or not isinstance(tests, list):
            self.report.error(path, line, f"rule '{word}': give sense, default, when (a list) and tests (a list)")
            return None
        forms = [GlossaryEntry(word, str(rule["default"]), path, line, rule=word)]
        for item in when:
            match = _CONTEXT.fullmatch(str(item.get("context", ""))) if isinstance(item, dict) else None
            if match is None or match.group(2) != word or not item.get("hant"):
                message = f"rule '{word}': each 'when' item is {{context: 'before[{word}]after', hant: form}} with the rule's word in brackets"
                self.report.error(path, line, message)
                return None
            forms.append(GlossaryEntry(word, str(item["hant"]), path, line, match[1], match[3], rule=word))
        fields = ("phrase", "sentence", "expected")
        cases = [tuple(str(t.get(k, "")) for k in fields) for t in tests if isinstance(t, dict)]
        if len(cases) != len(tests) or not cases or any(phrase not in sentence for phrase, sentence, _ in cases):
            self.report.error(path, line, f"rule '{word}': {_TEST_SHAPE}")
            return None
        return Rule(word, tuple(forms), tuple(cases))  # type: ignore[arg-type]


def check_duplicates(entries: list[GlossaryEntry], report: Report) -> list[GlossaryEntry]:
    """Each word once (per context): a second definition is an error at its line."""
    seen: dict[tuple[str, str, str], GlossaryEntry] = {}
    for entry in entries:
        first = seen.setdefault((entry.before, entry.hans, entry.after), entry)
        if first is not entry:
            report.error(entry.path, entry.line, f"glossary: '{entry.hans}' is already defined at {first.where}")
    return list(seen.values())
