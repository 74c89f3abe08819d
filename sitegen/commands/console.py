"""Terminal output: colour only on a terminal and never with NO_COLOR; quiet in CI."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from ..diagnostics import Diagnostic, Report

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


def show_lines(shown: list[Diagnostic], counts: list[str]) -> None:
    """Diagnostics, then the lines counting those left out (Report.shown)."""
    for diagnostic in shown:
        show(diagnostic)
    for line in counts:
        print(line, file=sys.stderr)


def print_report(report: Report, strict: bool = False, everything: bool = False) -> int:
    """Show the report; the exit code it means (warnings count only when strict)."""
    show_lines(*report.shown(everything))
    return EXIT_CONTENT if report.errors or (strict and report.warnings) else EXIT_OK
