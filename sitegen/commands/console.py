"""Terminal output: colour only on a terminal and never with NO_COLOR; quiet in CI."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TextIO

from ..diagnostics import Diagnostic, Report

SHOWN_PER_KIND = 20  # warnings of one kind listed before the rest are only counted
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

_COLOURS = {"error": "\033[31m", "warning": "\033[33m"}
_RESET = "\033[0m"


def show(diagnostic: Diagnostic, stream: TextIO | None = None) -> None:
    """Print one diagnostic; the text is the same with or without colour."""
    stream = stream or sys.stderr  # looked up now: tests and callers redirect sys.stderr
    line = diagnostic.format()
    if stream.isatty() and "NO_COLOR" not in os.environ:
        line = f"{_COLOURS[diagnostic.severity]}{line}{_RESET}"
    print(line, file=stream)


def show_report(report: Report, everything: bool = False, stream: TextIO | None = None) -> None:
    """Every error, and the first SHOWN_PER_KIND warnings of each kind with a count of the rest
    (all of them when everything is set): thousands of one warning would bury the others."""
    stream = stream or sys.stderr
    seen: Counter[str] = Counter()
    for diagnostic in report.sorted():
        if diagnostic.severity == "warning":
            seen[diagnostic.kind] += 1
            if seen[diagnostic.kind] > SHOWN_PER_KIND and not everything:
                continue
        show(diagnostic, stream)
    for kind, count in sorted(seen.items()):
        if count > SHOWN_PER_KIND and not everything:
            more = f"... and {count - SHOWN_PER_KIND} more '{kind}' warnings ({count} in all); --all lists every one"
            print(more, file=stream)


def print_report(report: Report, strict: bool = False, everything: bool = False) -> int:
    """Show the report; the exit code it means (warnings count only when strict)."""
    show_report(report, everything)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    return EXIT_CONTENT if failed else EXIT_OK
