"""Offline reading: the service worker, written last, from the finished output.

Each script precaches the shared static files, then its pages (shallowest first) while their gzip size fits the
budget, then the search index if all of it still fits. The cache name is a digest of every precached file, so a deploy
that changes any of them installs a new cache and one that changes none leaves the reader's cache alone. The worker's
code is sw.js beside this module; with `offline: false` the worker written removes itself and its caches.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import LOCALES, SiteConfig, page_path, url_lang
from ..site.assemble import OFFLINE

BUDGET = 1_500_000  # bytes transferred (gzip) that one script's precache may take
WORKER = "sw.js"
_COMPRESSED = (".pf_fragment", ".pf_index", ".pf_meta", ".pagefind", ".png", ".jpg", ".woff2")
_UNUSED = ("-ui.", "-highlight.")  # Pagefind's own interfaces: static/search.js is ours


@dataclass(frozen=True)
class Precache:
    paths: tuple[str, ...]  # output paths, in the order they are fetched
    size: int  # bytes transferred
    pages: int  # pages kept, of the total
    total: int  # pages the script has
    search: bool  # whether the search index fits


def transfer_size(path: str, data: bytes) -> int:
    """What fetching a file costs on the wire: gzip as servers send it, unless already compressed."""
    return len(data) if path.endswith(_COMPRESSED) else len(gzip.compress(data, 6, mtime=0))


def precache(locale: str, files: Mapping[str, bytes], budget: int = BUDGET) -> Precache:
    """What one script keeps offline, within the budget."""
    lang = url_lang(locale) + "/"
    own = ("index.html", lang + "manifest.webmanifest")  # the chooser and this script's manifest
    first = [p for p in sorted(files) if p.startswith("static/") or p in own]
    index = [p for p in sorted(files) if p.startswith("pagefind/") and not any(u in p for u in _UNUSED)]
    pages = [p for p in files if p.startswith(lang) and p.endswith("/index.html")]
    pages.sort(key=lambda p: (p != page_path(OFFLINE, locale) + "index.html", p.count("/"), p))
    kept, size = list(first), sum(transfer_size(p, files[p]) for p in first)
    for path in pages:
        cost = transfer_size(path, files[path])
        if size + cost > budget:
            break
        kept.append(path)
        size += cost
    search = sum(transfer_size(p, files[p]) for p in index)
    fits = bool(index) and len(kept) - len(first) == len(pages) and size + search <= budget
    if fits:
        kept += index
    return Precache(tuple(kept), size + search * fits, len(kept) - len(first) - len(index) * fits, len(pages), fits)


def worker(config: SiteConfig, files: Mapping[str, bytes]) -> tuple[bytes, dict[str, Precache]]:
    """sw.js (both scripts' precache lists, a cache name from their digests, the worker's code); what each keeps."""
    code = (Path(__file__).parent / WORKER).read_text("utf-8")
    if not config.offline:
        return b"const CONFIG = null;\n" + code.encode(), {}
    lists = {locale: precache(locale, files) for locale in LOCALES}
    digest = hashlib.sha256()
    for path in sorted({p for c in lists.values() for p in c.paths}):
        digest.update(f"{path}\0{hashlib.sha256(files[path]).hexdigest()}\n".encode())
    base = config.base_path
    data = {
        "version": digest.hexdigest()[:16],
        "scope": base,
        "scripts": {url_lang(loc): [base + p.removesuffix("index.html") for p in c.paths] for loc, c in lists.items()},
        "offline": {url_lang(loc): base + page_path(OFFLINE, loc) for loc in LOCALES},
    }
    head = f"const CONFIG = {json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)};\n"
    return head.encode() + code.encode(), lists
