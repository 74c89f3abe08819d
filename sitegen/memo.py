"""What `sitegen serve` keeps between rebuilds, so an edit re-renders only what it affects.

Compiled templates are kept by their source's checksum (Jinja's bytecode cache, in memory).
A guide's result and pages are kept with a fingerprint of every input they came from: its
own files, the site-wide inputs (all of content/ but the guides, templates/, i18n/, the
glossary, the build options), its neighbours in the reading order, and where its links lead.
When any of these differ, the guide is rendered again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from .assemble import Site
from .guides import GuideResult
from .model import Guide, Options


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates by name, source checksum and the environment's salt (the catalog and
    stylesheets folded into them), for the life of the process."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        salt = getattr(environment, "salt", "")
        return super().get_bucket(environment, f"{salt}/{name}", filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Entry:
    fingerprint: tuple[object, ...]
    links: list[tuple[str, str | None, bool]]  # where each link led: (source, page, broken)
    result: GuideResult
    pages: dict[str, bytes]


@dataclass
class Memo:
    templates: MemoryBytecodeCache | None = field(default_factory=MemoryBytecodeCache)
    guides: dict[str, Entry] = field(default_factory=dict)
    kept: dict[str, tuple[object, dict[str, bytes]]] = field(default_factory=dict)  # other pages
    sitewide: str = ""
    reused: int = 0  # guides taken from the memo in the last build (the tests look)
    active = True  # worth asking (NoMemo is not)

    def begin(self, options: Options, glossary: Path) -> None:
        """Start a build: forget every guide if anything site-wide changed."""
        digest = sitewide_digest(options, glossary)
        if digest != self.sitewide:
            self.guides.clear()
            self.kept.clear()
        self.sitewide, self.reused = digest, 0

    def get(self, site: Site, guide: Guide, context: object) -> tuple[GuideResult, dict[str, bytes]] | None:
        entry = self.guides.get(guide.key)
        if entry is None or entry.fingerprint != _fingerprint(guide, context):
            return None
        if _link_ends(site, [src for src, _, _ in entry.links]) != entry.links:
            return None
        self.reused += 1
        return entry.result, entry.pages

    def put(self, site: Site, guide: Guide, context: object, result: GuideResult, pages: dict[str, bytes]) -> None:
        self.guides[guide.key] = Entry(_fingerprint(guide, context), _link_ends(site, result.link_targets),
                                       result, pages)

    def pages(self, name: str, inputs: object, make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
        """Pages made from these inputs (and the site-wide ones): kept, or made now."""
        kept = self.kept.get(name)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        pages = make()
        self.kept[name] = (inputs, pages)
        return pages


@dataclass
class NoMemo(Memo):
    """A build that keeps nothing: every guide and page is rendered."""

    templates: MemoryBytecodeCache | None = None
    active = False

    def begin(self, options: Options, glossary: Path) -> None:
        pass

    def get(self, site: Site, guide: Guide, context: object) -> tuple[GuideResult, dict[str, bytes]] | None:
        return None

    def put(self, site: Site, guide: Guide, context: object, result: GuideResult, pages: dict[str, bytes]) -> None:
        pass

    def pages(self, name: str, inputs: object, make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
        return make()


def listing_inputs(site: Site) -> tuple[object, ...]:
    """What the pages that list guides show of them: their front matter (and keys)."""
    return tuple((key, g.hans.meta, g.hant.meta if g.hant else None) for key, g in site.guides.items())


def _link_ends(site: Site, targets: list[str]) -> list[tuple[str, str | None, bool]]:
    """Where links to these sources lead now: (source, page key or None, source is broken)."""
    return [(src, site.by_src.get(src), src in site.content.broken_srcs) for src in targets]


def _fingerprint(guide: Guide, context: object) -> tuple[object, ...]:
    files = [(s.src, s.digest) for s in (guide.hans, guide.hant) if s is not None]
    return (tuple(files), context)


def sitewide_digest(options: Options, glossary: Path) -> str:
    """Every input but the guides themselves: a change here can change any page."""
    total = hashlib.blake2b(repr(options).encode())
    guides = options.content / "guides"
    files = [glossary] + [p for folder in (options.content, options.root / "templates", options.root / "i18n")
                          for p in _files(folder, skip=guides)]
    for path in sorted(set(files)):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        total.update(str(path).encode() + b"\0" + hashlib.blake2b(data).digest())
    return total.hexdigest()


def _files(folder: Path, skip: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if Path(dirpath, d) != skip]
        found += [Path(dirpath, f) for f in filenames]
    return found

