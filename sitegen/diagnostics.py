"""Problems found in the content, collected so a run can report them all at once."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

SHOWN_PER_KIND = 20  # warnings of one kind listed before the rest are only counted


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"
    kind: str = ""  # what a warning is about, so a run can count repeats ("typed-code", ...)

    def format(self) -> str:
        """The one user-facing form: `path:line: message`."""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{max(self.line, 1)}: {tag}{self.message}"


@dataclass
class Report:
    """Every diagnostic of one run, in the order found; sorted only when shown."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, message, "error"))

    def warning(self, path: str, line: int, message: str, kind: str) -> None:
        self.items.append(Diagnostic(path, line, message, "warning", kind))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def shown(self, everything: bool = False) -> tuple[list[Diagnostic], list[str]]:
        """What a run shows: every error, the first SHOWN_PER_KIND warnings of each kind and a line counting the rest
        (all of them when everything is set): thousands of one warning would bury the others."""
        seen: Counter[str] = Counter()
        shown = []
        for diagnostic in self.sorted():
            seen[diagnostic.kind] += diagnostic.severity == "warning"
            if everything or diagnostic.severity == "error" or seen[diagnostic.kind] <= SHOWN_PER_KIND:
                shown.append(diagnostic)
        more = [(k, n) for k, n in sorted(seen.items()) if n > SHOWN_PER_KIND and not everything]
        return shown, [
            f"... and {n - SHOWN_PER_KIND} more '{k}' warnings ({n} in all); --all lists every one" for k, n in more
        ]

    def sorted(self) -> list[Diagnostic]:
        # keyed by plain tuples: hashing and comparing 200,000 dataclasses in Python took 0.4 s
        unique = {(d.path, d.line, d.message, d.severity, d.kind): d for d in self.items}
        return [unique[key] for key in sorted(unique)]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A '; did you mean …?' suffix for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class ContentError(Exception):
    """Raised to stop a single file's processing; carries its diagnostic."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(path, line, message)
