"""The build cache: skip a build whose inputs and output are exactly as the last build left them.

An optimisation only: deleting .sitegen-cache/ gives the same output, and every input byte is
covered (content/, templates/, i18n/, sitegen's own code, the libraries that shape the output,
and the build options). To stay fast it trusts a file's (size, mtime, ctime, inode) when they match
the last build, as git does, and re-hashes any file changed within two seconds of that build
so an edit made in the same instant cannot hide. This module imports nothing heavy: a
no-change rebuild never loads Jinja, markdown-it, OpenCC or Babel.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

VERSION = 1
RACY_SECONDS = 2.0
LIBRARIES = ("jinja2", "markdown_it", "mdit_py_plugins", "yaml", "babel", "opencc", "pagefind", "markupsafe")


def cache_dir(root: Path) -> Path:
    return root / ".sitegen-cache"


def _walk(folder: str):  # type: ignore[no-untyped-def]
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in ("__pycache__",):
                yield from _walk(entry.path)
        else:
            yield entry


def _input_folders(root: Path, content: Path) -> list[str]:
    return [str(content), str(root / "templates"), str(root / "i18n"), str(Path(__file__).parent)]


def library_versions() -> list[str]:
    """The installed distributions beside the libraries that shape the output (their
    *.dist-info names carry the versions): an upgrade of any of them means a full build."""
    places = set()
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            places.add(Path(spec.origin).parent.parent)
    return sorted(n for place in places for n in os.listdir(place) if n.endswith(".dist-info"))


class Fingerprint:
    """The digest of every input, reusing the hashes of files whose stat has not changed."""

    def __init__(self, previous: dict[str, list]) -> None:
        self.previous = previous
        self.files: dict[str, list] = {}

    def digest(self, folders: list[str], options: dict[str, object]) -> str:
        total = hashlib.blake2b(json.dumps([VERSION, sys.version, options], sort_keys=True).encode())
        now = time.time()
        for folder in folders:
            for entry in sorted(_walk(folder), key=lambda e: e.path):
                total.update(entry.path.encode() + b"\0" + self._file_hash(entry, now).encode())
        return total.hexdigest()

    def _file_hash(self, entry: os.DirEntry, now: float) -> str:
        if entry.is_symlink():  # the build refuses or follows it by its target: hash that
            try:
                return "link:" + os.readlink(entry.path)
            except OSError:
                return "unreadable"
        try:
            st = entry.stat()
        except OSError:
            return "missing"
        key = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]  # ctime: utime() cannot fake it
        old = self.previous.get(entry.path)
        if old is not None and old[:4] == key and not old[5]:
            digest = old[4]
        else:
            try:
                with open(entry.path, "rb") as fh:
                    digest = hashlib.blake2b(fh.read(), digest_size=16).hexdigest()
            except OSError:
                return "unreadable"
        racy = now - st.st_mtime_ns / 1e9 < RACY_SECONDS
        self.files[entry.path] = key + [digest, racy]
        return digest


def _outputs(out: Path) -> dict[str, list[int]]:
    """Every output file's (size, mtime) and every folder's mtime (a file added or removed
    changes its folder's mtime), recorded once after a build."""
    found: dict[str, list[int]] = {}
    for dirpath, _dirs, files in os.walk(out):
        found[dirpath] = [-1, os.stat(dirpath).st_mtime_ns]
        for name in files:
            st = os.stat(os.path.join(dirpath, name), follow_symlinks=False)
            found[os.path.join(dirpath, name)] = [st.st_size, st.st_mtime_ns]
    return found


def _outputs_unchanged(recorded: dict[str, list[int]]) -> bool:
    """One stat per recorded path, no directory listing: the fast check of a no-change build."""
    try:
        for path, (size, mtime) in recorded.items():
            st = os.stat(path, follow_symlinks=False)
            if st.st_mtime_ns != mtime or (size >= 0 and st.st_size != size):
                return False
    except OSError:
        return False
    return bool(recorded)


def _load(root: Path) -> dict:
    try:
        return json.loads((cache_dir(root) / "state.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def is_up_to_date(root: Path, content: Path, out: Path,
                  options: dict[str, object]) -> tuple[list[str] | None, Stamp]:
    """The last build's messages when it had exactly these inputs and its output is untouched,
    else None; and the stamp to save after building."""
    state = _load(root)
    fingerprint = Fingerprint(state.get("inputs", {}))
    key = fingerprint.digest(_input_folders(root, content), {**options, "libraries": library_versions()})
    stamp = Stamp(root, key, fingerprint.files, out)
    fresh = (state.get("key") == key and state.get("out") == str(out.absolute())
             and _outputs_unchanged(state.get("outputs", {})))
    return (list(state.get("messages", [])) if fresh else None), stamp


class Stamp:
    """What to record after a successful build, so the next one can tell nothing changed."""

    def __init__(self, root: Path, key: str, inputs: dict[str, list], out: Path) -> None:
        self.root, self.key, self.inputs, self.out = root, key, inputs, out.absolute()

    def save(self, messages: list[str]) -> None:
        state = {"key": self.key, "out": str(self.out), "inputs": self.inputs,
                 "outputs": _outputs(self.out), "messages": messages}
        folder = cache_dir(self.root)
        try:
            folder.mkdir(exist_ok=True)
            tmp = folder / f"state.json.{os.getpid()}"
            tmp.write_text(json.dumps(state, separators=(",", ":")), "utf-8")
            os.replace(tmp, folder / "state.json")
        except OSError:
            pass  # an unwritable cache only costs speed

    def forget(self) -> None:
        try:
            (cache_dir(self.root) / "state.json").unlink()
        except OSError:
            pass
