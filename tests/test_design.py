"""The reader-facing design, read from the built HTML: head metadata, structured data, the
printable operator page, feedback links, the optional scripts and the weight budget."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, build

BASE = "https://example.org/guide/"
REPO_URL = "https://github.com/example/sitegen"
BUDGET = 14 * 1024  # bytes of gzip on the critical path: HTML + stylesheets + blocking scripts
PAGES = {
    "home": "",
    "operator": "alpha/",
    "topic": "top-up/",
    "guide": "alpha/top-up/",
    "hand-written": "alpha/cancel/",
    "general": "buy-sim/",
    "print": "alpha/print/",
}


def parse(site: Path, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / rel).read_text("utf-8"))


def page(site: Path, lang: str, key: str) -> LexborHTMLParser:
    return parse(site, f"{lang}/{key}index.html")


def meta(doc: LexborHTMLParser, prop: str) -> str:
    node = doc.css_first(f'meta[property="{prop}"]') or doc.css_first(f'meta[name="{prop}"]')
    assert node is not None, prop
    return node.attributes["content"] or ""


def json_ld(doc: LexborHTMLParser) -> dict[str, dict]:
    scripts = doc.css('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].text())
    assert data["@context"] == "https://schema.org"
    return {item["@type"]: item for item in data["@graph"]}


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- head ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, locale, other", [("zh-hans", "zh_CN", "zh_TW"), ("zh-hant", "zh_TW", "zh_CN")])
@pytest.mark.parametrize("kind", PAGES)
def test_open_graph_tags(built_site: Path, kind: str, lang: str, locale: str, other: str) -> None:
    doc = page(built_site, lang, PAGES[kind])
    assert meta(doc, "og:url") == doc.css_first('link[rel="canonical"]').attributes["href"]
    assert meta(doc, "og:title") == doc.css_first("h1").text()
    assert meta(doc, "og:description") == meta(doc, "description") != ""
    assert meta(doc, "og:type") == ("article" if kind in ("guide", "hand-written", "general") else "website")
    assert (meta(doc, "og:locale"), meta(doc, "og:locale:alternate")) == (locale, other)
    assert meta(doc, "og:site_name") == ("测试站点" if lang == "zh-hans" else "測試網站")


def test_theme_color_and_favicon_on_every_page(built_site: Path) -> None:
    for path in html_pages(built_site):
        doc = parse(built_site, path.relative_to(built_site).as_posix())
        assert re.fullmatch(r"#[0-9a-f]{6}", meta(doc, "theme-color")), path
        icon = doc.css_first('link[rel="icon"]').attributes["href"]
        assert (built_site / icon.removeprefix("/guide/")).is_file(), path  # no request 404s


def test_json_ld_article_on_guides(built_site: Path) -> None:
    for lang, locale in (("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")):
        doc = page(built_site, lang, "alpha/top-up/")
        article = json_ld(doc)["Article"]
        assert article["headline"] == doc.css_first("h1").text()
        assert article["dateModified"] == "2026-11-20" == doc.css_first(".review time").attributes["datetime"]
        assert article["inLanguage"] == locale
        assert article["mainEntityOfPage"] == f"{BASE}{lang}/alpha/top-up/"


def test_json_ld_breadcrumbs_follow_the_visible_trail(built_site: Path) -> None:
    for key in ("alpha/", "top-up/", "alpha/top-up/", "buy-sim/", "alpha/print/"):
        doc = page(built_site, "zh-hant", key)
        items = json_ld(doc)["BreadcrumbList"]["itemListElement"]
        visible = [(a.text(), a.attributes["href"]) for a in doc.css("nav.breadcrumbs a")]
        assert [i["position"] for i in items] == list(range(1, len(visible) + 2))
        assert [(i["name"], i["item"]) for i in items[:-1]] == [
            (name, "https://example.org" + href) for name, href in visible
        ]
        assert (items[-1]["name"], items[-1]["item"]) == (doc.css_first("h1").text(), f"{BASE}zh-hant/{key}")


def test_json_ld_website_on_home_pages_and_never_a_raw_tag(built_site: Path) -> None:
    assert json_ld(page(built_site, "zh-hans", ""))["WebSite"]["url"] == f"{BASE}zh-hans/"
    for path in html_pages(built_site):
        for script in LexborHTMLParser(path.read_text("utf-8")).css('script[type="application/ld+json"]'):
            assert "<" not in script.text()


# --- scripts and weight -------------------------------------------------------------------------


def test_scripts_are_deferred_and_optional(built_site: Path) -> None:
    for lang in ("zh-hans", "zh-hant"):
        for key in PAGES.values():
            doc = page(built_site, lang, key)
            external = doc.css("script[src]")
            assert [s.attributes["src"] for s in external] == ["/guide/static/site.js"]
            assert all("defer" in s.attributes for s in external)
            assert doc.css_first("script[data-copy]").attributes["data-copy"] in ("复制", "複製")
            inline = [s for s in doc.css("script:not([src])") if s.attributes.get("type") != "application/ld+json"]
            assert inline == []
            # without JavaScript every code is still a working tel: link
            assert all(a.attributes["href"].startswith("tel:") for a in doc.css("a.tel"))
    script = (built_site / "static/site.js").read_text("utf-8")
    for needle in ("navigator.clipboard", "a.tel", "sitegen-lang", "a[data-lang]"):
        assert needle in script


def test_switcher_remembers_the_choice_and_names_its_language(built_site: Path) -> None:
    for lang, other in (("zh-hans", "zh-hant"), ("zh-hant", "zh-hans")):
        for key in PAGES.values():
            switch = page(built_site, lang, key).css_first("header a.switch")
            assert switch.attributes["data-lang"] == other
            assert switch.attributes["href"] == f"/guide/{other}/{key}"
            assert switch.attributes["lang"].lower() == other == switch.attributes["hreflang"].lower()


def critical_path_gzip(site: Path, path: Path, base_path: str) -> int:
    """The benchmark's own measurement (bench/budget.py), so the test and the script agree."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("budget", REPO / "bench" / "budget.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.critical_path_gzip(site, path, base_path))


def test_critical_path_of_every_fixture_page_fits_14_kb(built_site: Path) -> None:
    sizes = {
        p.relative_to(built_site).as_posix(): critical_path_gzip(built_site, p, "/guide/")
        for p in html_pages(built_site)
    }
    assert max(sizes.values()) < BUDGET, sizes


def test_critical_path_of_every_real_page_fits_14_kb(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("real-weight") / "public"
    result = build(REPO / "content", out)
    assert result.code == 0, result.err
    canonical = page(out, "zh-hans", "").css_first('link[rel="canonical"]').attributes["href"]
    base_path = urlsplit(canonical).path.removesuffix("zh-hans/")
    sizes = {p.relative_to(out).as_posix(): critical_path_gzip(out, p, base_path) for p in html_pages(out)}
    heaviest = max(sizes, key=lambda k: sizes[k])
    assert sizes[heaviest] < BUDGET, (heaviest, sizes[heaviest])


def test_stylesheet_is_inline_small_and_uses_system_fonts(built_site: Path) -> None:
    doc = page(built_site, "zh-hant", "alpha/top-up/")
    css = doc.css_first("head style").text()
    assert not doc.css('link[rel="stylesheet"]')
    assert len(gzip.compress(css.encode(), 9)) < 2500
    for needle in (
        "line-height:1.7",
        "line-break:strict",
        "prefers-color-scheme:dark",
        "@media print",
        '"PingFang SC"',
        '"Noto Sans CJK SC"',
        '"Microsoft YaHei"',
        '"PingFang TC"',
        '"Noto Sans CJK TC"',
        '"Microsoft JhengHei"',
        ":focus-visible",
    ):
        assert needle in css, needle
    assert "@font-face" not in css and "@import" not in css and "url(" not in css


# --- structure and accessibility ----------------------------------------------------------------


def test_valid_structure_on_every_page(built_site: Path) -> None:
    for path in html_pages(built_site):
        doc = LexborHTMLParser(path.read_text("utf-8"))
        ids = [n.attributes["id"] for n in doc.css("[id]")]
        assert len(ids) == len(set(ids)), (path, ids)
        levels = [int(h.tag[1]) for h in doc.css("main h1, main h2, main h3, main h4, main h5, main h6")]
        assert levels and levels[0] == 1 and levels.count(1) == 1, (path, levels)
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
        assert all(th.attributes.get("scope") in ("col", "row", "colgroup", "rowgroup") for th in doc.css("th")), path
        for anchor in doc.css('a[href^="#"]'):
            assert doc.css_first(f'[id="{anchor.attributes["href"][1:]}"]') is not None, (path, anchor.html)
        if path.name == "index.html" and path.parent != built_site:
            for landmark in ("header", "main#main", "footer"):
                assert len(doc.css(landmark)) == 1, (path, landmark)
            assert doc.css_first("body > a.skip-link").attributes["href"] == "#main"


def test_topic_table_cells_name_their_headers(built_site: Path) -> None:
    doc = page(built_site, "zh-hant", "top-up/")
    table = doc.css_first("table.compare")
    assert table.css_first("caption") is not None
    for td in table.css("td"):
        for header in td.attributes["headers"].split():
            assert table.css_first(f'th[id="{header}"]') is not None


def test_markdown_tables_get_column_scope(built_site: Path) -> None:
    heads = page(built_site, "zh-hans", "alpha/top-up/").css("article table th")
    assert heads and all(th.attributes.get("scope") == "col" for th in heads)


# --- the printable operator page ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant"])
def test_print_page_holds_every_guide_of_the_operator(built_site: Path, lang: str) -> None:
    operator = page(built_site, lang, "alpha/")
    guides = [(a.text(), a.attributes["href"]) for a in operator.css("ul.cards a")]
    assert len(guides) == 2
    link = operator.css_first("a.print-link")
    assert link.attributes["href"] == f"/guide/{lang}/alpha/print/"
    printable = page(built_site, lang, "alpha/print/")
    assert [s.css_first("h2").text() for s in printable.css("article.guide")] == [title for title, _ in guides]
    assert [a.attributes["href"] for a in printable.css("article.guide p.updated a")] == [href for _, href in guides]
    for (_, href), section in zip(guides, printable.css("article.guide"), strict=False):
        body = LexborHTMLParser((built_site / href.removeprefix("/guide/") / "index.html").read_text("utf-8"))
        first_step = body.css_first("article h2:not(#toc-title):not(#facts-title)").text()
        assert first_step in [h.text() for h in section.css("h3")]
    assert printable.css_first('a.tel[href="tel:*100%23"]') is not None


def test_print_page_is_in_the_sitemap_and_marks_conversion(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    for lang in ("zh-hans", "zh-hant"):
        assert f"<loc>{BASE}{lang}/alpha/print/</loc>" in sitemap
    # alpha/top-up is converted, alpha/cancel hand-written: the page holds converted text
    assert page(built_site, "zh-hant", "alpha/print/").css_first("footer .converted") is not None
    assert page(built_site, "zh-hans", "alpha/print/").css_first("footer .converted") is None


def test_topic_id_print_is_refused(site_copy: Path, tmp_path: Path) -> None:
    topics = site_copy / "topics.yaml"
    topics.write_text(topics.read_text("utf-8") + "- id: print\n  title: 打印\n  summary: 打印。\n", "utf-8")
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1
    assert any("topic id 'print' is reserved" in line for line in result.lines), result.err
    assert not (tmp_path / "out").exists()


# --- feedback links -----------------------------------------------------------------------------

EDIT_PATHS = {
    ("zh-hans", ""): "content/site.yaml",
    ("zh-hant", ""): "content/site.yaml",
    ("zh-hans", "alpha/"): "content/operators/alpha.yaml",
    ("zh-hans", "top-up/"): "content/topics.yaml",
    ("zh-hans", "alpha/top-up/"): "content/guides/alpha/top-up.md",
    ("zh-hant", "alpha/top-up/"): "content/guides/alpha/top-up.md",  # converted: edit the source
    ("zh-hant", "alpha/cancel/"): "content/guides/alpha/cancel.zh-Hant.md",  # hand-written
    ("zh-hans", "buy-sim/"): "content/guides/buy-sim.md",
    ("zh-hant", "alpha/print/"): "content/operators/alpha.yaml",
}


@pytest.mark.parametrize("lang, key", EDIT_PATHS)
def test_edit_and_report_links(built_site: Path, lang: str, key: str) -> None:
    doc = page(built_site, lang, key)
    edit, report = (a.attributes["href"] for a in doc.css("footer .feedback a"))
    assert edit == f"{REPO_URL}/edit/main/{EDIT_PATHS[(lang, key)]}"
    url = urlsplit(report)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO_URL}/issues/new"
    query = parse_qs(url.query)
    assert doc.css_first("h1").text() in query["title"][0]
    assert f"{BASE}{lang}/{key}" in query["body"][0]
    assert " " not in report and "\n" not in report


def test_no_feedback_links_without_repo_url(site_copy: Path, tmp_path: Path) -> None:
    config = site_copy / "site.yaml"
    config.write_text(re.sub(r"(?m)^repo_url:.*\n", "", config.read_text("utf-8")), "utf-8")
    assert build(site_copy, tmp_path / "out").code == 0
    for path in html_pages(tmp_path / "out"):
        text = path.read_text("utf-8")
        assert "/edit/main/" not in text and "/issues/new" not in text, path
        assert LexborHTMLParser(text).css_first(".feedback") is None


def test_converted_notice_only_on_converted_pages(built_site: Path) -> None:
    assert page(built_site, "zh-hant", "alpha/cancel/").css_first(".converted") is None
    assert page(built_site, "zh-hant", "buy-sim/").css_first("footer .converted") is not None
    for key in PAGES.values():
        assert page(built_site, "zh-hans", key).css_first(".converted") is None
