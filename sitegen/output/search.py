"""Full-text search with Pagefind, one index per script.

Two problems with giving Pagefind Chinese text as it is. It splits Traditional text into
single characters (機場 would match every 手機 page), and with Chinese words in several index
chunks (Pagefind 1.5) lookups miss pages that contain the word. So:

- every page is indexed as Simplified text: a zh-Hant page uses the text of its zh-Hans twin
  (a "shadow"), and its results show zh-Hant titles and summaries;
- the text is indexed as ASCII tokens we make ourselves: each Chinese character ("y" + code
  point in hex) and each pair of neighbouring characters ("z" + both code points), the classic
  bigram index for Chinese. A query of two or more characters looks for its pairs, so 机场
  finds pages with 机场 and not pages with only 手机;
- in the browser the reader's query is mapped to Simplified (glossary phrases reversed, then
  characters, with the table written here) and tokenised the same way (static/search.js).
  A query in either script finds pages in the reader's script: 儲值 becomes 充值.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import HANS, HANT, LOCALES, page_path, url_lang
from ..site.assemble import Site

_WORD = re.compile(r"[\u3400-\u9fff]+|[0-9A-Za-z]+")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
_MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SKIP = re.compile(r"<(nav|script|style)\b.*?</\1>", re.DOTALL)


@dataclass(frozen=True)
class Record:
    url: str
    content: str
    language: str
    title: str
    summary: str


def tokens(text: str) -> str:
    """Index tokens: Chinese characters and character pairs in hex, other words lowercased.
    static/search.js makes the same tokens from a query; keep the two in step."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word[0] >= "\u3400":
            out += [f"y{ord(c):x}" for c in word]
            out += [f"z{ord(a):x}{ord(b):x}" for a, b in itertools.pairwise(word)]
        else:
            out.append(word.lower())
    return " ".join(out)


def page_text(page_html: str) -> str:
    """The readable text of a page's <main>, without navigation or scripts."""
    match = _MAIN.search(page_html)
    body = _SKIP.sub(" ", match.group(1) if match else page_html)
    return " ".join(html.unescape(_TAG.sub(" ", body)).split())


def page_texts(files: Mapping[str, bytes]) -> dict[str, str]:
    """The readable text of every HTML page, computed once for the records and the query table."""
    return {name: page_text(data.decode("utf-8")) for name, data in sorted(files.items()) if name.endswith(".html")}


def _title_and_summary(page_html: str) -> tuple[str, str]:
    """What a result shows, as the page itself says it (its <h1> and meta description)."""
    title = _H1.search(page_html)
    summary = _DESCRIPTION.search(page_html)
    return (
        html.unescape(_TAG.sub("", title.group(1))).strip() if title else "",
        html.unescape(summary.group(1)) if summary else "",
    )


def records(site: Site, files: Mapping[str, bytes], texts: dict[str, str]) -> list[Record]:
    """One record per guide, operator and topic page in each script; zh-Hant gets the shadow text."""
    keys = [*site.guides, *site.content.operators, *(t.id for t in site.content.topics)]
    found = []
    for key in sorted(keys):
        shadow = texts.get(page_path(key, HANS) + "index.html")
        for locale in LOCALES:
            page = files.get(page_path(key, locale) + "index.html")
            if shadow is not None and page is not None:
                title, summary = _title_and_summary(page.decode("utf-8"))
                found.append(Record(page_path(key, locale), shadow, url_lang(locale), title, summary))
    return found


def build_index(found: list[Record], scratch: Path) -> dict[str, bytes]:
    """Run Pagefind's indexer over one small HTML file per record; its files, under 'pagefind/'.

    The Python API costs ~0.1 s a record; the command line indexes thousands a second."""
    import shutil
    import subprocess
    import sys

    try:
        site, out = scratch / "site", scratch / "out"
        for r in found:
            target = site / r.url.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_record_html(r), "utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SearchError(proc.stderr.strip() or proc.stdout.strip())
        return {
            f"pagefind/{p.relative_to(out).as_posix()}": p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class SearchError(Exception):
    """Pagefind failed; the build reports it and writes nothing."""


def _record_html(r: Record) -> str:
    e = html.escape
    return (
        f'<!doctype html><html lang="{r.language}"><head><meta charset="utf-8"><title>{e(r.title)}'
        f'</title></head><body data-pagefind-body data-pagefind-meta="title:{e(r.title)}">'
        f'<p data-pagefind-meta="summary" data-pagefind-ignore>{e(r.summary)}</p>'
        f"<div>{tokens(r.content)}</div></body></html>"
    )


def query_table(site: Site, texts: dict[str, str]) -> bytes:
    """What search.js needs to turn a Traditional query into Simplified: glossary phrases
    (zh-Hant -> zh-Hans, longest first) and every Traditional character used on the site."""
    from ..text.chinese import opencc_converter

    def text_of(locale: str) -> str:
        return "".join(text for name, text in texts.items() if name.startswith(f"{url_lang(locale)}/"))

    # Several zh-Hans phrases may share one zh-Hant form (营业厅, 门店 -> 門市): the query takes
    # the one the site uses most, since that is what the index holds.
    hans_text, phrases = text_of(HANS), dict[str, str]()
    for entry in sorted(site.converter.entries, key=lambda e: (-len(e.hans), e.hans)):
        if entry.hant != entry.hans:
            best = phrases.get(entry.hant)
            if best is None or hans_text.count(entry.hans) > hans_text.count(best):
                phrases[entry.hant] = entry.hans
    text = text_of(HANT)
    to_simplified = opencc_converter("t2s")
    chars = {c: to_simplified.convert(c) for c in sorted(set(text)) if "\u4e00" <= c <= "\u9fff"}
    table = {
        "phrases": sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])),
        "chars": {k: v for k, v in chars.items() if k != v},
    }
    return json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def search_files(site: Site, files: Mapping[str, bytes], scratch: Path) -> dict[str, bytes]:
    """The Pagefind index and the query table, ready to be written with the site; scratch is
    a folder for Pagefind's input and output, removed afterwards."""
    texts = page_texts(files)
    out = build_index(records(site, files, texts), scratch)
    out["pagefind/sitegen-query.json"] = query_table(site, texts)
    return out
