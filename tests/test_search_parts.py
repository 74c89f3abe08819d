"""The search index in parts, as a large site gets it: its layout, and the same bytes from the same input
(the parts' Pagefind processes run at once). What a reader finds with it is in test_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, tree

CONTENT = REPO / "tests/fixtures/search/content"


@pytest.fixture(scope="module")
def rendered():  # type: ignore[no-untyped-def]
    from sitegen.build import render_site
    from sitegen.model import Options

    result = render_site(Options(REPO, CONTENT, REPO / "public", base_url="http://127.0.0.1/"))
    assert result.site is not None and not result.report.errors
    return result


def index(rendered, folder: Path, part_chars: int) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    from sitegen.output.search import write_index

    write_index(rendered.site, rendered.pages, folder / "pagefind", folder / "scratch", part_chars=part_chars)
    assert not (folder / "scratch").exists(), "the records are removed"
    return tree(folder / "pagefind")


def test_an_index_in_parts_is_laid_out_for_the_search_page(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sitegen.output.search import records

    texts = [len(text) for _, text, _ in records(rendered.site, rendered.pages)]
    files = index(rendered, tmp_path, part_chars=sum(texts) // 3)
    parts = sorted({name.split("/")[1] for name in files if name.startswith("parts/")}, key=int)
    assert len(parts) >= 2 and parts == [str(n) for n in range(1, len(parts) + 1)]
    assert json.loads(files["sitegen-query.json"])["parts"] == len(parts) + 1
    assert "pagefind.js" in files and "pagefind-worker.js" in files  # the first part serves the scripts
    for part in parts:
        names = [name.removeprefix(f"parts/{part}/") for name in files if name.startswith(f"parts/{part}/")]
        assert "pagefind-entry.json" in names and any(n.endswith(".pf_meta") for n in names)
        assert any(n.startswith("index/") for n in names) and any(n.startswith("fragment/") for n in names)
        assert not [n for n in names if n.endswith((".js", ".css"))], "a part has no copy of Pagefind's scripts"


def test_an_index_in_parts_is_the_same_bytes_every_time(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = index(rendered, tmp_path / "a", part_chars=4000)
    assert len({name.split("/")[1] for name in first if name.startswith("parts/")}) >= 3
    assert index(rendered, tmp_path / "b", part_chars=4000) == first


def test_a_site_of_one_part_has_no_parts(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = index(rendered, tmp_path, part_chars=10**9)
    assert not [name for name in files if name.startswith("parts/")]
    assert "parts" not in json.loads(files["sitegen-query.json"])
