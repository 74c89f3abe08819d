"""The build cache: skip a build whose inputs and output are exactly as the last build left them.

An optimisation only: deleting .sitegen-cache/ gives the same output, and every input byte is
covered (content/, templates/, i18n/, sitegen's own code, the libraries that shape the output,
and the build options). A no-change build reads no input and hashes nothing: it costs one stat
per input file and per output file and folder, and the state is a few flat strings and bytes.

- Inputs: the (size, mtime, ctime, inode) of every input file, trusted as git trusts its
  index. If one differs, every input is read and hashed, so a touched but unchanged tree is
  still up to date (and re-recorded). A file changed within RACY_SECONDS of being recorded could
  change again with the same stat, so its hash is kept and it is re-read on every check.
- Outputs: the same four numbers for every output file and folder (a folder's mtime changes
  when an entry is added or removed), taken only once the clock has moved past every output's
  timestamps, so a later edit cannot leave the same stat behind.

Stat calls are most of the check, so a forked helper takes half of them (sitegen.forked).
This module imports nothing heavy: a no-change build never loads Jinja, markdown-it, OpenCC
or Babel.
"""

from __future__ import annotations

import importlib.machinery
import marshal
import operator
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .forked import in_child

VERSION = 3
STATE = "state.marshal"
RACY_SECONDS = 2.0  # the coarsest file timestamps in use (FAT)
FINE_SECONDS = 0.05  # above the clock tick (at most 10 ms) behind nanosecond timestamps
HELPER_MIN = 4000  # stat calls worth a fork (a few ms) to share
LIBRARIES = ("jinja2", "markdown_it", "mdit_py_plugins", "yaml", "babel", "opencc", "pagefind", "markupsafe")

# what any change to a file or folder alters; ctime because utime() cannot fake it
_stat_key = operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")


def cache_dir(root: Path) -> Path:
    return root / ".sitegen-cache"


def library_versions() -> list[str]:
    """The installed distributions beside the libraries that shape the output (their
    *.dist-info names carry the versions): an upgrade of any of them means a full build."""
    places = set()
    for name in LIBRARIES:
        spec = importlib.machinery.PathFinder.find_spec(name)
        if spec is not None and spec.origin:
            places.add(os.path.dirname(os.path.dirname(spec.origin)))
    return sorted(n for place in places for n in os.listdir(place) if n.endswith(".dist-info"))


def _stats(paths: list[str]) -> list[tuple[int, int, int, int]] | None:
    """The stat key of every path (None if one has gone); map() all the way, no Python frame
    per path."""
    try:
        return list(map(_stat_key, map(os.lstat, paths)))
    except OSError:
        return None


def _newest(stats: list[tuple[int, int, int, int]]) -> int:
    return max((max(key[1], key[2]) for key in stats), default=0)


def _input_files(folder: str) -> list[str]:
    """Every file and symlink under folder but __pycache__, in the order the system lists them."""
    found, folders = [], [folder]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                found.append(entry.path)
            elif entry.name != "__pycache__":
                folders.append(entry.path)
    return found


def _file_hash(path: str) -> str:
    """A file's bytes, or a symlink's target as the build refuses or follows it by that."""
    import hashlib

    try:
        if os.path.islink(path):
            return "link:" + os.readlink(path)
        with open(path, "rb") as fh:
            return hashlib.blake2b(fh.read(), digest_size=16).hexdigest()
    except OSError:
        return "unreadable"


class Inputs:
    """Every input's path and stat, and the digest of the options and all input bytes."""

    def __init__(self, folders: list[str], options: dict[str, object]) -> None:
        self.header = repr([VERSION, sys.version, sorted(options.items())])
        self.paths = [path for folder in folders for path in _input_files(folder)]
        recent = time.time_ns() - int(RACY_SECONDS * 1e9)  # taken first: a later edit is newer
        stats = _stats(self.paths)
        self.stats = b"" if stats is None else marshal.dumps(stats, 2)  # v2: no back-references
        self.recent = [path for path, key in zip(self.paths, stats or ()) if max(key[1], key[2]) > recent]
        self.racy: dict[str, str] = {}  # recent path -> its hash, re-read by every check
        self.key = ""

    def same_as(self, state: dict) -> bool:
        """Whether these are the state's inputs, re-reading only its racy files."""
        if not self.stats or [state.get(k) for k in ("header", "paths", "stats")] != [
                self.header, "\0".join(self.paths), self.stats]:
            return False
        old: dict[str, str] = state.get("racy", {})
        hashes = {path: _file_hash(path) for path in {*old, *self.recent}}
        if any(hashes[path] != digest for path, digest in old.items()):
            return False
        self.racy, self.key = {path: hashes[path] for path in self.recent}, state["key"]
        return True

    def hash_recent(self) -> None:
        """Hash only the racy inputs, leaving the key empty: a later check trusts the stats it
        records, and any other stat means a full build (no bytes to compare them with)."""
        self.racy, self.key = {path: _file_hash(path) for path in self.recent}, ""

    def hash_all(self) -> None:
        """Read and hash every input."""
        import hashlib

        hashes = {path: _file_hash(path) for path in self.paths}
        total = hashlib.blake2b(self.header.encode())
        for path in sorted(hashes):
            total.update(f"{path}\0{hashes[path]}\0".encode())
        self.racy, self.key = {path: hashes[path] for path in self.recent}, total.hexdigest()

    def state(self) -> dict:
        return {"header": self.header, "paths": "\0".join(self.paths), "stats": self.stats,
                "racy": self.racy, "key": self.key}


def _input_folders(root: Path, content: Path) -> list[str]:
    return [str(content), str(root / "templates"), str(root / "i18n"), str(Path(__file__).parent)]


def _output_names(files: list[str]) -> list[str]:
    """The build's files and every folder holding them, relative to the output ('' is the
    output itself): the build made the folder from nothing, so this is all it holds."""
    folders = {"/".join(parts[:i]) for parts in (f.split("/") for f in files) for i in range(len(parts))}
    return sorted(folders) + sorted(files)


def _record_outputs(out: str, files: list[str], inputs: int) -> dict | None:
    """The outputs' paths and stats, cut where the helper's part is half of a check's stat
    calls; taken once the clock has ticked past every output's timestamps, None while
    something is still writing."""
    try:
        coarse = os.stat(out).st_mtime_ns % 1_000_000_000 == 0  # no sub-second timestamps
    except OSError:
        return None
    window = int((RACY_SECONDS if coarse else FINE_SECONDS) * 1e9)
    time.sleep(window / 1e9)  # the build's last writes are now a window old
    started = time.time_ns()
    paths = [out + os.sep + name.replace("/", os.sep) for name in _output_names(files)]
    half = len(paths) // 2
    first = in_child(lambda: _stats(paths[:half]), half >= HELPER_MIN)
    rest = _stats(paths[half:])
    stats = first()
    if stats is None or rest is None:
        return None
    stats += rest
    if _newest(stats) >= started - window:
        return None
    cut = min((len(paths) + inputs) // 2, len(paths))
    # whole paths, as the check stats them: joining 40,000 names to the folder cost it 25 ms
    return {"paths": "\0".join(paths), "cut": cut,
            "parts": (marshal.dumps(stats[:cut], 2), marshal.dumps(stats[cut:], 2))}


def _check_outputs(state: dict, out: str) -> Callable[[], bool]:
    """Start comparing the output with the state's record; call the result for the verdict."""
    record = state.get("outputs")
    if state.get("out") != out or not record:
        return lambda: False
    paths = record["paths"].split("\0")
    cut, (first, rest) = record["cut"], record["parts"]
    helper = in_child(lambda: _same_stats(paths[:cut], first), cut >= HELPER_MIN)
    return lambda: _same_stats(paths[cut:], rest) and helper()


def _same_stats(paths: list[str], recorded: bytes) -> bool:
    stats = _stats(paths)
    return stats is not None and marshal.dumps(stats, 2) == recorded


def _load(root: Path) -> dict:
    try:
        state = marshal.loads((cache_dir(root) / STATE).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return state if isinstance(state, dict) and state.get("version") == VERSION else {}


def _save(root: Path, state: dict) -> None:
    folder = cache_dir(root)
    try:
        folder.mkdir(exist_ok=True)
        tmp = folder / f"{STATE}.{os.getpid()}"
        tmp.write_bytes(marshal.dumps({**state, "version": VERSION}))
        os.replace(tmp, folder / STATE)
    except OSError:
        pass  # an unwritable cache only costs speed


def is_up_to_date(root: Path, content: Path, out: Path,
                  options: dict[str, object]) -> tuple[list[str] | None, Stamp]:
    """The last build's messages when it had exactly these inputs and its output is untouched,
    else None; and the stamp to save after building."""
    state = _load(root)
    outputs_unchanged = _check_outputs(state, str(out.absolute()))
    inputs = Inputs(_input_folders(root, content), {**options, "libraries": library_versions()})
    trusted = inputs.same_as(state)
    if not trusted and state:
        inputs.hash_all()
    elif not trusted:  # nothing to compare with: hashing every input would only cost time
        inputs.hash_recent()
    stamp = Stamp(root, inputs, out)
    if not outputs_unchanged() or inputs.key != state.get("key"):
        return None, stamp
    if not trusted or inputs.racy != state.get("racy"):
        _save(root, {**state, **inputs.state()})  # re-record touched or now-settled inputs
    return list(state.get("messages", [])), stamp


class Stamp:
    """What to record after a successful build, so the next one can tell nothing changed."""

    def __init__(self, root: Path, inputs: Inputs, out: Path) -> None:
        self.root, self.inputs, self.out = root, inputs, str(out.absolute())

    def save(self, messages: list[str], files: list[str]) -> None:
        """Record the build: its messages and the files it wrote (paths relative to the output)."""
        outputs = _record_outputs(self.out, files, len(self.inputs.paths))
        if outputs is None:
            return self.forget()
        _save(self.root, {**self.inputs.state(), "out": self.out, "outputs": outputs,
                          "messages": messages})

    def forget(self) -> None:
        try:
            (cache_dir(self.root) / STATE).unlink()
        except OSError:
            pass
