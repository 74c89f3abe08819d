"""Full-text search with Pagefind: one index for both scripts, built from one normalised text.

Pagefind splits Traditional text into single characters (機場 would match every 手機 page) and, with Chinese words in
several index chunks, misses pages that contain a word. So every page is indexed once, as its zh-Hans text, in tokens of
our own, each once a page (tokens()): a query of two or more characters looks for its pairs (机场 finds pages with 机场,
not pages with only 手机), and a single character finds every pair it starts by Pagefind's prefix match. Every token has
the same length, so none is the start of another (Pagefind matches a query word whose start is an indexed word).
static/search.js maps the reader's query to Simplified with the table written here and tokenises it the same way; a
result shows the title and summary of the reader's script and links to the page in it.

Pagefind's command line reads the records from one small HTML file each in the staging folder (its Python API answers
ten requests a second: sixteen minutes for 10,000 pages).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..model import HANS, HANT, page_path
from ..site.assemble import Site

_AZ_LETTERS, _AZ_PLAIN = "ÇçĞğİıÖöŞşÜüƏə", "CcGgIiOoSsUuEe"  # Sərfəli is found as serfeli (search.js folds alike)
_LATIN_WORD = re.compile(f"[0-9A-Za-z{_AZ_LETTERS}]+")
_FOLD = str.maketrans(_AZ_LETTERS, _AZ_PLAIN)
_RUN = re.compile(r"[\u3400-\u9fff]+|" + _LATIN_WORD.pattern)  # a run of Chinese characters, or a Latin word
_MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.DOTALL)
_SKIP = re.compile(r"<(nav|script|style)\b.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
_META = '<p data-pagefind-meta="{}" data-pagefind-ignore>{}</p>'
_RECORD = (
    "<html lang=zh><body data-pagefind-body>{}<p>{}</p></body></html>"  # one record: the page's metadata and tokens
)
PART_CHARS = 1_000_000  # text in one part of the index: ~350 long guides, ~420,000 tokens, ~0.35 GB in Pagefind
_LATIN = '<p data-pagefind-filter="sitegen:latin" data-pagefind-ignore></p>'  # a part's record of Latin words
_LETTERS = "abcdefghijklmnopqrstuvwxyz"  # letters only: Pagefind splits words where digits meet letters


Record = tuple[str, str, dict[str, str]]  # key, zh-Hans text, what each script shows


class SearchError(Exception):
    """Pagefind failed; the build reports it and writes nothing."""


@functools.cache  # a site uses a few thousand characters, each in thousands of pairs
def _letters(char: str) -> str:
    """A CJK character (U+3400-U+9FFF) as four letters (base 26); the run end as zzzz."""
    if char == "\0":
        return "zzzz"  # no character is zzzz
    n = ord(char)
    return _LETTERS[n // 17576] + _LETTERS[n // 676 % 26] + _LETTERS[n // 26 % 26] + _LETTERS[n % 26]


def tokens(text: str) -> list[str]:
    """Index tokens of a text, each once (static/search.js makes the same from a query): "z" and the letters of each
    pair of neighbouring characters (a run's last with "zzzz"), "x" and each Latin word lowercased with Azerbaijani
    letters plain (ş as s), never alike."""
    found: dict[str | tuple[str, str], None] = {}  # pairs of characters deduplicated before spelling
    for run in _RUN.findall(text):
        if run[0] < "\u3400":
            found[_latin_token(run)] = None
        else:
            found |= dict.fromkeys(zip(run, run[1:] + "\0", strict=True))  # "\0": the run's end
    return [f"z{_letters(k[0])}{_letters(k[1])}" if isinstance(k, tuple) else k for k in found]


def _latin_token(word: str) -> str:
    """A Latin word's token, in ASCII: tokens() and each part's record of Latin words (_latin_record) spell it alike."""
    return f"x{word.translate(_FOLD).lower()}"


def page_text(page: bytes) -> str:
    """The readable text of a page's <main>, without navigation, scripts or styles."""
    main = _MAIN.search(page.decode("utf-8"))
    return " ".join(html.unescape(_TAG.sub(" ", _SKIP.sub(" ", main.group(1) if main else ""))).split())


def records(site: Site, pages: Mapping[str, bytes]) -> Iterable[Record]:
    """(key, zh-Hans page text, the title and summary each script shows) of every guide, operator and topic page."""
    for key in sorted([*site.guides, *site.content.operators, *(t.id for t in site.content.topics)]):
        shown = {}
        for n, locale in enumerate((HANS, HANT)):
            page = pages[page_path(key, locale) + "index.html"].decode("utf-8")
            title, summary = _H1.search(page), _DESCRIPTION.search(page)
            shown[f"t{n}"] = html.unescape(_TAG.sub("", title.group(1))).strip() if title else ""
            shown[f"s{n}"] = html.unescape(summary.group(1)) if summary else ""
        yield key, page_text(pages[page_path(key, HANS) + "index.html"]), shown


def write_index(
    site: Site, pages: Mapping[str, bytes], folder: Path, scratch: Path, part_chars: int = PART_CHARS
) -> None:
    """The Pagefind bundle and the query table, written into folder (pagefind/ of the output).

    Pagefind holds about 0.8 KB a token while it indexes (a 10,000-guide site took 7 GB) and runs on one core, so a
    large site is indexed in parts of at most part_chars characters of text, one Pagefind process a core, each started
    as soon as its part is written: the first part at folder, the others at folder/parts/N/, which static/search.js
    merges into the first (Pagefind's mergeIndex)."""
    found = list(records(site, pages))
    parts = _split(found, part_chars)
    latin = _latin_record(found) if len(parts) > 1 else ""
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            runs = [pool.submit(_pagefind, _write_part(scratch / str(n), part, latin)) for n, part in enumerate(parts)]
            table = query_table(site, [text for _, text, _ in found], len(parts))  # while Pagefind runs
        for n, run in enumerate(runs):
            done = run.result()
            if done.returncode != 0:
                raise SearchError(done.stderr.strip() or done.stdout.strip() or f"pagefind exited {done.returncode}")
            _place(scratch / f"{n}.out", folder / "parts" / str(n) if n else folder, whole=n == 0)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    (folder / "sitegen-query.json").write_bytes(table)


def _split(found: list[Record], part_chars: int) -> list[list[Record]]:
    """Records in parts of at most part_chars characters of text (a longer record is a part of its own)."""
    parts: list[list[Record]] = [[]]
    size = 0
    for record in found:
        if size and size + len(record[1]) > part_chars:
            parts.append([])
            size = 0
        parts[-1].append(record)
        size += len(record[1])
    return parts


def _latin_record(found: list[Record]) -> str:
    """A record of every Latin word on the site, for each part of an index in parts.

    Pagefind looks a query's Latin word up as the start of indexed words or, where none starts with it, as the longest
    indexed word it starts with (IMEIs finds imei). A part knows only its own words; with this record, each part
    decides as one index would. search.js leaves it out of results (its filter)."""
    words = {_latin_token(w) for _, text, _ in found for w in _LATIN_WORD.findall(text)}
    return _RECORD.format(_LATIN, " ".join(sorted(words)))


def _write_part(folder: Path, part: list[Record], latin: str) -> Path:
    """A part's records, each a small HTML file (and the Latin words' record when there are parts)."""
    for key, text, meta in part:
        shown = "".join(_META.format(name, html.escape(value)) for name, value in meta.items())
        _write_record(folder / key, _RECORD.format(shown, " ".join(tokens(text))))
    if latin:
        _write_record(folder / "_latin", latin)  # "_": no page key has one
    folder.mkdir(parents=True, exist_ok=True)  # a site with no pages still gets an (empty) index
    return folder


def _write_record(folder: Path, record: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(record, "utf-8")


def _pagefind(source: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", f"{source}.out", "--quiet"]
    return subprocess.run([*command, "--force-language", "zh-hans"], capture_output=True, text=True, check=False)


def _place(bundle: Path, folder: Path, whole: bool) -> None:
    """A part's bundle in its place: the first whole, the others without Pagefind's scripts and styles (the first
    part's serve them all). Pagefind writes its languages in any order: sorted, the build is exact."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    bundle.rename(folder)
    if not whole:
        for file in folder.iterdir():
            if file.suffix in (".js", ".css"):
                file.unlink()
    entry = folder / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True), "utf-8")


def query_table(site: Site, texts: Iterable[str], parts: int = 1) -> bytes:
    """What search.js needs: glossary phrases and every Traditional character on the site, to make a query
    Simplified, and the number of parts of the index."""
    from ..text.chinese import opencc_converter

    text = " ".join(texts)
    # Several zh-Hans words may share one zh-Hant form (营业厅, 门店 -> 門市): the query takes the
    # one the site uses most, since that is what the index holds.
    candidates: dict[str, dict[str, None]] = {}  # each zh-Hans word once: counting one scans the whole site
    for entry in sorted(site.converter.entries, key=lambda e: (-len(e.hans), e.hans)):
        if entry.hant != entry.hans and entry.hant.strip():
            candidates.setdefault(entry.hant.strip(), {})[entry.hans] = None
    phrases = {
        hant: max(hans, key=text.count) if len(hans) > 1 else next(iter(hans)) for hant, hans in candidates.items()
    }
    hand = "".join(g.hant.body for g in site.guides.values() if g.hant)
    used = "".join(sorted(c for c in set(text) if "\u4e00" <= c <= "\u9fff"))  # as converted, and as hand-written
    hant = set(site.converter.convert(used) + hand + "".join(site.converted.values()))
    cjk = [c for c in sorted(hant) if "\u4e00" <= c <= "\u9fff"]  # one OpenCC call; lines keep them apart
    simplified = zip(cjk, opencc_converter("t2s").convert("\n".join(cjk)).split("\n"), strict=True)
    chars = {k: v for k, v in simplified if k != v}
    table: dict[str, object] = {"phrases": sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])), "chars": chars}
    if parts > 1:
        table["parts"] = parts
    return json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
