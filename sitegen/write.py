"""Write the site into a temporary folder beside the output, then swap it in.

A failed or interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class UnsafeOutput(Exception):
    """The output folder would overwrite sources, or a path would leave it."""


def check_out_dir(out: Path, root: Path, sources: list[Path]) -> None:
    """Refuse an output folder that is or contains the project, or sits inside a source folder."""
    out = out.resolve()
    for folder in [root, *sources]:
        folder = folder.resolve()
        inside_source = folder != root.resolve() and out.is_relative_to(folder)
        if folder.is_relative_to(out) or inside_source:
            raise UnsafeOutput(f"output folder {out} overlaps {folder}; choose another --out")


def safe_join(base: Path, rel: str) -> str:
    """base/rel, refusing absolute paths and '..'. base is a folder we just created, so it
    holds no symlinks and a relative path of plain names cannot leave it. Plain strings, not
    pathlib: this runs for every file written."""
    parts = rel.split("/")
    if rel.startswith("/") or "\x00" in rel or ".." in parts or all(p in ("", ".") for p in parts):
        raise UnsafeOutput(f"refusing to write {rel!r}: outside the output folder")
    return f"{base}/{rel}"


class Staging:
    """A new folder beside the output that the build writes into (from any of its processes);
    commit() puts it where the old output was in one step, discard() removes it."""

    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.out)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.path.chmod(0o755)
        self._folders = {str(self.path)}  # made by this process (others' are found to exist)

    def write(self, rel: str, data: bytes) -> None:
        target = safe_join(self.path, rel)
        folder = target.rpartition("/")[0]
        if folder not in self._folders:  # most pages have a folder of their own: make it first,
            _make_folder(folder)  # not after a failed open (two system calls fewer a page)
            self._folders.add(folder)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def read(self, rel: str) -> bytes:
        with open(safe_join(self.path, rel), "rb") as fh:
            return fh.read()

    def commit(self) -> None:
        try:
            _swap_in(self.path, self.out)
        finally:
            shutil.rmtree(self.path, ignore_errors=True)  # after a swap: the old output

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _make_folder(folder: str) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:  # its parent is new too
        os.makedirs(folder, exist_ok=True)


def _remove_leftovers(out: Path) -> None:
    """Temporary folders of an earlier build that was killed before it could clean up."""
    for prefix in (f".{out.name}.new-", f".{out.name}.old-"):
        for folder in out.parent.glob(prefix + "*"):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


def _swap_in(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return  # `new` now holds the old output; the caller removes it
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "site")
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    return fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
