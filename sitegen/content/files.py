"""Reading source files safely: regular files inside their folder, UTF-8, no hidden characters.

A FIFO would make a read hang, a symlink could lead anywhere on the machine, and control,
bidirectional-override or private-use characters in text would break the feed, mislead
readers or collide with the converter's placeholders. Each is refused with its line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..diagnostics import Report

# C0 and C1 controls but tab and newline, bidirectional overrides and isolates, private use
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ue000-\uf8ff\U000f0000-\U0010ffff]")


def hidden_character(text: str) -> str | None:
    """A message for the first character that must not be in source text, or None."""
    match = HIDDEN.search(text)
    if match is None:
        return None
    return f"invisible or private-use character U+{ord(match.group(0)):04X} is not allowed; delete it (retype the text around it)"


class Reader:
    """Reads files below a folder, naming each by its path relative to the project root, and reports what it refuses."""

    def __init__(self, folder: Path, root: Path, report: Report) -> None:
        self.folder, self.root, self.report = folder.resolve(), root.resolve(), report

    def name(self, path: Path) -> str:
        try:
            return path.absolute().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def usable(self, path: Path, folder: bool = False) -> bool:
        """Whether path is a regular file (or folder) inside ours; reported when it is not."""
        try:
            mode = os.stat(path).st_mode
            inside = path.resolve().is_relative_to(self.folder)
        except (OSError, RuntimeError):  # a dangling link, or a loop
            mode, inside = 0, False
        if not inside:
            message = f"symlink leads outside {self.folder.name}/ (or nowhere); copy the file in instead"
        elif not (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
            message = f"not a regular {'folder' if folder else 'file'}; replace it with a plain one"
        else:
            return True
        self.report.error(self.name(path), 1, message)
        return False

    def read_text(self, path: Path) -> str | None:
        """UTF-8 text with BOM and CRLF normalised; None (reported) when unusable."""
        if not self.usable(path):
            return None
        name = self.name(path)
        try:
            raw = path.read_bytes()
        except OSError as err:
            self.report.error(name, 1, f"cannot read file: {err.strerror}")
            return None
        try:
            text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as err:
            self.report.error(name, raw[: err.start].count(b"\n") + 1, "file is not valid UTF-8; save it as UTF-8")
            return None
        match = HIDDEN.search(text)
        if match is not None:
            self.report.error(name, text.count("\n", 0, match.start()) + 1, str(hidden_character(match.group(0))))
            return None
        return text

    def files(self, folder: Path) -> list[Path]:
        """Regular files below folder, sorted; anything else (symlinked folders, links out, FIFOs) is reported."""
        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(folder):
            for d in list(dirnames):
                if os.path.islink(os.path.join(dirpath, d)):
                    message = "symlinked folders are not allowed in content/; move the files in"
                    self.report.error(self.name(Path(dirpath, d)), 1, message)
                    dirnames.remove(d)
            found += [p for p in (Path(dirpath, f) for f in filenames) if self.usable(p)]
        return sorted(found)
