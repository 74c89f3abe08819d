"""The no-change cache: a build whose inputs and output are as the last build left them says "up to date" instead.

An optimisation only: deleting .sitegen-cache/ gives the same output. The inputs are one digest of every input byte;
the output is the stat of every file and folder the build wrote (size, mtime, ctime, inode: an edit that puts the
size and mtime back still changes the ctime). This module imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import time
from dataclasses import astuple
from pathlib import Path

from ..diagnostics import Diagnostic, Report

VERSION = 6
STATE = "state.json"
EVERY = "diagnostics.json"  # every diagnostic of the last build, read only for `--all`
INPUTS = "inputs.json"  # each input file's stat and hash
# what shapes the output
LIBRARIES = ["jinja2", "markdown-it-py", "pyyaml", "babel", "opencc", "pagefind", "markupsafe", "ada-url"]
SETTLE_SECONDS = 0.05  # above the clock tick behind nanosecond timestamps
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir(root: Path) -> Path:
    return root / ".sitegen-cache"


def input_digest(folders: list[Path], options: dict[str, str], known: dict | None = None) -> tuple[str, dict]:
    """One digest of the options, the libraries' versions and every file below the folders; and each file's stat
    and hash, to be known next time. A file whose stat (size, mtime, ctime, inode) is as known keeps its known hash,
    as git's index does; one changed within SETTLE_SECONDS of now is recorded without, so it is read again."""
    total = hashlib.blake2b(repr((VERSION, sys.version, sorted(options.items()))).encode())
    for name in LIBRARIES:
        total.update(f"{name}={_version(name)}\0".encode())
    settled, files = time.time_ns() - int(SETTLE_SECONDS * 1e9), {}
    for path in (p for folder in folders for p in _files(folder)):
        try:
            s = os.stat(path)  # a symlink's target (symlinks out of content/ are refused by the build)
            stat = [s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino]
            digest = _hash(path, stat, (known or {}).get(path))
            files[path] = [*stat, digest if max(s.st_mtime_ns, s.st_ctime_ns) < settled else ""]
        except OSError:
            digest = "unreadable"
        total.update(f"{path}\0{digest}\0".encode())
    return total.hexdigest(), files


def _hash(path: str, stat: list[int], known: list | None) -> str:
    """The known hash of a file whose stat is as known, else its bytes' hash."""
    if isinstance(known, list) and len(known) == 5 and known[:4] == stat and known[4]:  # a hand-edited cache too
        return str(known[4])
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


@functools.cache  # serve digests its inputs on every edit; an installed package's version does not change
def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _files(folder: Path) -> list[str]:
    """Every file below folder (or the file itself) but caches, in a stable order."""
    if os.path.isfile(folder):
        return [str(folder)]
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        found += [os.path.join(dirpath, f) for f in sorted(filenames)]
    return found


def _stats(paths: list[str]) -> list[list[int]] | None:
    try:
        return [[s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino] for s in map(os.lstat, paths)]
    except OSError:
        return None


def _outputs(out: Path, files: list[str]) -> list[str]:
    """The build's files and every folder holding them ('' is the output itself)."""
    folders = {"/".join(parts[:i]) for parts in (f.split("/") for f in files) for i in range(len(parts))}
    return [str(out / name) for name in sorted(folders) + sorted(files)]


class Stamp:
    """The inputs of this build, and what to record once it has written its output."""

    def __init__(self, root: Path, content: Path, out: Path, options: dict[str, str]) -> None:
        self.root, self.out = root, out.absolute()
        folders = [content, root / "templates", root / "i18n", _PACKAGE, *_conversion_folders(root, content)]
        try:
            known = json.loads((cache_dir(root) / INPUTS).read_text("utf-8"))
        except (OSError, ValueError):
            known = {}
        self.digest, self.inputs = input_digest(folders, options, known if isinstance(known, dict) else {})

    def up_to_date(self, everything: bool = False) -> tuple[list[Diagnostic], list[str]] | None:
        """What the last build showed (Report.shown) if it had these inputs and its output is untouched."""
        try:
            state = json.loads((cache_dir(self.root) / STATE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        expected = {"version": VERSION, "digest": self.digest, "out": str(self.out)}
        if not isinstance(state, dict) or any(state.get(k) != v for k, v in expected.items()):
            return None
        if _stats(state["paths"]) != state["stats"]:
            return None
        if everything and state["counts"]:
            with contextlib.suppress(OSError, ValueError, TypeError):
                every = json.loads((cache_dir(self.root) / EVERY).read_text("utf-8"))
                return Report([Diagnostic(*d) for d in every]).shown(everything=True)
            return None
        return [Diagnostic(*d) for d in state["shown"]], list(state["counts"])

    def save(self, report: Report, files: list[str]) -> None:
        """Record a build: its diagnostics (shown again, the same way, when nothing changed) and the files it wrote."""
        paths = _outputs(self.out, files)
        time.sleep(SETTLE_SECONDS)  # the build's last writes are now older than any later edit's
        stats = _stats(paths)
        if stats is None:
            return self.forget()
        state = dict(version=VERSION, digest=self.digest, out=str(self.out), paths=paths, stats=stats)
        shown, state["counts"] = report.shown()
        state["shown"] = [astuple(d) for d in shown]
        folder = cache_dir(self.root)
        with contextlib.suppress(OSError):  # an unwritable cache only costs speed
            folder.mkdir(exist_ok=True)
            tmp = folder / f"{STATE}.{os.getpid()}"
            for name, data in ((EVERY, [astuple(d) for d in report.sorted()]), (INPUTS, self.inputs), (STATE, state)):
                tmp.write_text(json.dumps(data), "utf-8")
                os.replace(tmp, folder / name)

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            (cache_dir(self.root) / STATE).unlink()


def _conversion_folders(root: Path, content: Path) -> list[Path]:
    """Conversion files site.yaml names outside i18n/ (they are inputs too)."""
    import yaml

    try:
        config = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
        paths = [root / str(p) for p in (config.get("conversion") or {}).values()]
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return []
    return [p for p in paths if p.exists() and not p.resolve().is_relative_to((root / "i18n").resolve())]
