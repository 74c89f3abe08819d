"""The real site: it builds, passes `sitegen check`, and has the guides the project promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, build_ok, run_cli, simplified_only

OPERATORS = ("azercell", "bakcell", "nar")
TOPICS = ("top-up", "renew", "esim", "cancel")
GENERAL = ("first-day", "buy-sim", "imei", "keep-number", "short-stay", "scams")
# Phrases that say a fact is not known; a page says what is unknown once, near the top.
HEDGES = re.compile(
    "未能确认|尚未确认|无法确认|未确认|没有写明|未写明|没有说明|未说明|不清楚|不确定|没有找到|未找到|没有公布|未公布"
)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(tmp_path_factory, REPO / "content", "real")


def _article_text(site: Path, rel: str) -> str:
    doc = LexborHTMLParser((site / rel / "index.html").read_text("utf-8"))
    return doc.css_first("article").text()


def test_real_site_passes_check() -> None:
    result = run_cli("check", "--root", REPO)
    assert result.code == 0, result.err
    assert [line for line in result.lines if ": warning: " in line and "more than 12 months" not in line] == []


@pytest.mark.parametrize("key", [f"{op}/{t}" for op in OPERATORS for t in TOPICS] + list(GENERAL))
def test_every_guide_exists_in_both_scripts_and_is_substantial(real_site: Path, key: str) -> None:
    text = _article_text(real_site, f"zh-hans/{key}")
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 500
    assert (real_site / f"zh-hant/{key}/index.html").is_file()


def test_hand_written_top_up_guides_are_current() -> None:
    result = run_cli("check", "--root", REPO)
    states = dict(line.split()[1::-1][:2] for line in result.out.splitlines()[:-1])
    assert states["azercell/top-up"] == "hand-written" and states["nar/top-up"] == "hand-written"


def test_zh_hant_pages_have_no_simplified_only_characters(real_site: Path) -> None:
    leftovers = {}
    for page in (real_site / "zh-hant").rglob("*.html"):
        doc = LexborHTMLParser(page.read_text("utf-8"))
        for node in doc.css('code, [lang="zh-Hans"]'):
            node.decompose()
        chars = simplified_only(doc.body.text())
        if chars:
            leftovers[page.relative_to(real_site).as_posix()] = chars
    assert leftovers == {}


def test_external_links_go_only_to_allowed_hosts(real_site: Path) -> None:
    import yaml

    site = yaml.safe_load((REPO / "content/site.yaml").read_text("utf-8"))
    allowed = set(site.get("external_hosts", []))
    for op in OPERATORS:
        website = yaml.safe_load((REPO / f"content/operators/{op}.yaml").read_text("utf-8"))["website"]
        allowed.add(website.split("/")[2].removeprefix("www."))
    for page in real_site.rglob("*.html"):
        for a in LexborHTMLParser(page.read_text("utf-8")).css("a[href^='http']"):
            host = a.attributes["href"].split("/")[2].lower()
            assert any(host == h or host.endswith("." + h) for h in allowed), (page, host)


def test_hedges_are_few_per_page_and_on_the_site() -> None:
    """At most 3 hedges on any guide and 40 on the whole site (front matter included)."""
    counts = {
        p.relative_to(REPO).as_posix(): len(HEDGES.findall(p.read_text("utf-8")))
        for p in sorted((REPO / "content/guides").rglob("*.md"))
        if not p.name.endswith(".zh-Hant.md")
    }
    assert {page: n for page, n in counts.items() if n > 3} == {}
    assert sum(counts.values()) <= 40, counts


def test_the_first_screen_answers_the_task(real_site: Path) -> None:
    """Every operator page says what to do before any section heading: a numbered step or a
    sentence with a channel (a fact, a link) comes first, not background."""
    for op in OPERATORS:
        for topic in TOPICS:
            doc = LexborHTMLParser((real_site / f"zh-hans/{op}/{topic}/index.html").read_text("utf-8"))
            article = doc.css_first("article")
            first = []
            for node in article.iter():
                if node.tag == "h2":
                    break
                first.append(node)
            assert any(n.css_first("a, .fact, code") for n in first if n.tag in ("p", "ol", "ul", "div")), (
                f"{op}/{topic}"
            )
