"""Write the site into a temporary folder beside the output, then swap it in.

A failed or interrupted build leaves the previous output exactly as it was. sitegen only ever
replaces or removes folders it made itself: each carries a marker file, and a folder that holds
anything else is refused. One build at a time writes an output (a lock file beside it).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".sitegen-output"  # in every folder sitegen makes; its absence means "not ours"
MARKER_TEXT = b"This folder was made by sitegen build; the next build replaces it whole.\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class UnsafeOutput(Exception):
    """The output folder would overwrite sources or files sitegen did not make, or is busy."""


class OutputFailed(Exception):
    """Writing the output failed (disk full, read-only, permissions); the old output is kept."""


def check_out_dir(out: Path, root: Path, sources: list[Path]) -> Path:
    """The folder to write (a symlinked --out is followed), or UnsafeOutput where writing there is not safe."""
    target = out.resolve()
    for folder in [root, *sources]:
        folder = folder.resolve()
        inside_source = folder != root.resolve() and target.is_relative_to(folder)
        if folder.is_relative_to(target) or inside_source:
            raise UnsafeOutput(f"output folder {target} overlaps {folder}; choose another --out")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"--out {out} is a file, not a folder; choose a folder")
    if target.is_dir() and not is_ours(target) and any(target.iterdir()):
        message = f"--out {out} holds files that sitegen did not make (no {MARKER} marker from an earlier build); choose a new or empty folder"
        raise UnsafeOutput(message)
    return target


def is_ours(folder: Path) -> bool:
    """Whether an earlier build made this folder (it holds sitegen's marker file)."""
    return (folder / MARKER).is_file() and not (folder / MARKER).is_symlink()


def safe_join(base: Path, rel: str) -> str:
    """base/rel, refusing absolute paths and '..'. base is a folder we just created, so it holds no symlinks and a
    relative path of plain names cannot leave it. Plain strings, not pathlib: this runs for every file written."""
    parts = rel.split("/")
    if rel.startswith("/") or "\x00" in rel or ".." in parts or all(p in ("", ".") for p in parts):
        raise UnsafeOutput(f"refusing to write {rel!r}: outside the output folder")
    return f"{base}/{rel}"


class OutputLock:
    """An exclusive lock on an output folder, held in a file beside it for one build. The file
    is removed on release; a build that finds a file another build removed meanwhile retries."""

    def __init__(self, out: Path) -> None:
        self.path = out.parent / f".{out.name}.lock"
        while True:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(self.fd)
                message = f"another sitegen build is writing {out} (lock {self.path}); wait for it to finish, then build again"
                raise UnsafeOutput(message) from None
            with contextlib.suppress(FileNotFoundError):
                if os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                    return  # the file is still there: ours
            os.close(self.fd)

    def release(self) -> None:
        os.unlink(self.path)  # while still locked, so no other build holds a removed file
        os.close(self.fd)


class Staging:
    """A new folder beside the output that the build writes into (from any of its processes), then swaps in whole.
    Made while holding the output's lock, which it keeps until commit() or discard()."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.lock = OutputLock(out)
        try:
            check_out_dir(out, out.parent, [])  # again, now that no other build can change it
            _remove_leftovers(out)
            self.path = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
            self.path.chmod(0o755)
            (self.path / MARKER).write_bytes(MARKER_TEXT)
        except BaseException:
            self.lock.release()
            raise
        self._folders = {str(self.path)}  # made by this process (others' are found to exist)

    def write(self, rel: str, data: bytes) -> None:
        target = safe_join(self.path, rel)
        folder = target.rpartition("/")[0]
        if folder not in self._folders:  # most pages have a folder of their own: make it first, not after a failed open
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(target, "wb") as fh:
            fh.write(data)

    def scratch(self) -> Path:
        """A temporary folder in the staging folder, so the next build removes a killed one's; the caller empties it."""
        return Path(tempfile.mkdtemp(prefix=".scratch-", dir=self.path))

    def commit(self) -> None:
        try:
            _swap_in(self.path, self.out)
        finally:
            self.discard()  # after a swap, self.path holds the old output

    def discard(self) -> None:
        remove_ours(self.path)
        self.lock.release()


def _remove_leftovers(out: Path) -> None:
    """Temporary folders of a build killed before it could clean up: those that carry the marker, and empty ones
    (killed between making and marking a folder). A user's folder of the same name that holds anything is left alone."""
    for name in os.listdir(out.parent):  # by prefix, not glob: an output may be named '**' or 'a[b]'
        folder = out.parent / name
        if not name.startswith((f".{out.name}.new-", f".{out.name}.old-")) or not folder.is_dir():
            continue
        if is_ours(folder):
            remove_ours(folder)
        else:
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only ever removes an empty folder


def remove_ours(folder: Path) -> None:
    """Remove a folder sitegen made, its marker last: a build killed part-way through leaves a
    folder that the next build still knows as its own and removes. A folder already gone is fine."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in (e for e in entries if e.name != MARKER):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(OSError):
        os.unlink(folder / MARKER)
        os.rmdir(folder)


def _swap_in(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return  # `new` now holds the old output; the caller removes it
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)  # it carries the marker, so a killed build's copy is removed next time
    os.rename(new, out)
    remove_ours(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    return fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
