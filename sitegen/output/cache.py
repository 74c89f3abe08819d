"""The no-change cache: a build whose inputs and output are exactly as the last build left them says "up to date"
instead of building.

An optimisation only: deleting .sitegen-cache/ gives the same output. The inputs are one digest of every input byte
(content/, templates/, i18n/, the conversion files, sitegen's own code, the versions of the libraries that shape the
output, and the build options); the output is the stat of every file and folder the build wrote (size, mtime, ctime,
inode: an edit that puts the size and mtime back still changes the ctime). This module imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import sys
import time
from dataclasses import astuple
from pathlib import Path

from ..diagnostics import Diagnostic

VERSION = 5
STATE = "state.json"
# what shapes the output
LIBRARIES = ["jinja2", "markdown-it-py", "pyyaml", "babel", "opencc", "pagefind", "markupsafe", "ada-url"]
SETTLE_SECONDS = 0.05  # above the clock tick behind nanosecond timestamps
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir(root: Path) -> Path:
    return root / ".sitegen-cache"


def input_digest(folders: list[Path], options: dict[str, str]) -> str:
    """One digest of the options, the libraries' versions and every file below the folders."""
    total = hashlib.blake2b(repr((VERSION, sys.version, sorted(options.items()))).encode())
    for name in LIBRARIES:
        total.update(f"{name}={_version(name)}\0".encode())
    for path in (p for folder in folders for p in _files(folder)):
        total.update(f"{path}\0".encode())
        try:
            total.update(hashlib.blake2b(Path(path).read_bytes(), digest_size=16).digest())
        except OSError:
            total.update(b"\0unreadable")
    return total.hexdigest()


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
    return [str(out / name) if name else str(out) for name in sorted(folders) + sorted(files)]


class Stamp:
    """The inputs of this build, and what to record once it has written its output."""

    def __init__(self, root: Path, content: Path, out: Path, options: dict[str, str]) -> None:
        self.root, self.out = root, out.absolute()
        folders = [content, root / "templates", root / "i18n", _PACKAGE, *_conversion_folders(root, content)]
        self.digest = input_digest(folders, options)

    def up_to_date(self) -> list[Diagnostic] | None:
        """The last build's diagnostics if it had these inputs and its output is untouched."""
        try:
            state = json.loads((cache_dir(self.root) / STATE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        expected = {"version": VERSION, "digest": self.digest, "out": str(self.out)}
        if not isinstance(state, dict) or any(state.get(k) != v for k, v in expected.items()):
            return None
        return [Diagnostic(*d) for d in state["messages"]] if _stats(state["paths"]) == state["stats"] else None

    def save(self, diagnostics: list[Diagnostic], files: list[str]) -> None:
        """Record a build: its diagnostics (shown again, the same way, when nothing changed) and the files it wrote."""
        paths = _outputs(self.out, files)
        time.sleep(SETTLE_SECONDS)  # the build's last writes are now older than any later edit's
        stats = _stats(paths)
        if stats is None:
            return self.forget()
        state = dict(version=VERSION, digest=self.digest, out=str(self.out), paths=paths, stats=stats)
        state["messages"] = [astuple(d) for d in diagnostics]
        folder = cache_dir(self.root)
        try:
            folder.mkdir(exist_ok=True)
            tmp = folder / f"{STATE}.{os.getpid()}"
            tmp.write_text(json.dumps(state), "utf-8")
            os.replace(tmp, folder / STATE)
        except OSError:
            pass  # an unwritable cache only costs speed

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
