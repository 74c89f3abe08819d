"""What readers get: the URL set, head tags, switcher, sitemap, feeds, 404, dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

BASE = "https://example.org/guide/"
PAGE_KEYS = [
    "",
    "alpha/",
    "beta/",
    "top-up/",
    "cancel/",
    "alpha/top-up/",
    "alpha/cancel/",
    "beta/top-up/",
    "buy-sim/",
    "alpha/print/",
    "beta/print/",
    "alpha/codes/",
    "beta/codes/",
]


def html(site: Path, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / rel).read_text("utf-8"))


def test_url_set_in_both_scripts(built_site: Path) -> None:
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    expected = sorted(
        [f"{lang}/{key}index.html" for lang in ("zh-hans", "zh-hant") for key in [*PAGE_KEYS, "search/", "offline/"]]
        + ["index.html", "404.html"]
    )
    assert pages == expected
    for name in ("sitemap.xml", "robots.txt", "zh-hans/feed.xml", "zh-hant/feed.xml"):
        assert (built_site / name).is_file()


def test_draft_is_left_out_unless_asked(built_site: Path, tmp_path: Path) -> None:
    from tests.conftest import SITE, build

    assert not (built_site / "zh-hans/draft-note").exists()
    assert build(SITE / "content", tmp_path / "out", "--drafts").code == 0
    assert (tmp_path / "out/zh-hant/draft-note/index.html").is_file()


def test_every_page_has_lang_canonical_alternates_and_switcher(built_site: Path) -> None:
    for lang, other in (("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")):
        for key in PAGE_KEYS:
            doc = html(built_site, f"{lang.lower()}/{key}index.html")
            assert doc.css_first("html").attributes["lang"] == lang
            canonical = doc.css_first('link[rel="canonical"]').attributes["href"]
            assert canonical == f"{BASE}{lang.lower()}/{key}"
            alternates = {
                n.attributes["hreflang"]: n.attributes["href"] for n in doc.css('link[rel="alternate"][hreflang]')
            }
            assert alternates["zh-Hans"] == f"{BASE}zh-hans/{key}"
            assert alternates["zh-Hant"] == f"{BASE}zh-hant/{key}"
            assert alternates["x-default"] == (BASE if key == "" else f"{BASE}zh-hans/{key}")
            switch = doc.css_first(f'a[hreflang="{other}"][lang="{other}"]')
            assert switch.attributes["href"] == f"/guide/{other.lower()}/{key}"


def test_internal_links_resolve_to_existing_pages_in_same_script(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        doc = LexborHTMLParser(page.read_text("utf-8"))
        lang = doc.css_first("html").attributes["lang"].lower()
        for a in doc.css("main a[href^='/guide/']"):
            href = a.attributes["href"]
            path = href.removeprefix("/guide/").split("#")[0]
            assert (built_site / path / "index.html").is_file() or (built_site / path).is_file(), href
            if page.name == "index.html" and page.parent != built_site and "hreflang" not in a.attributes:
                assert path.startswith(lang), (page, href)


def test_anchor_links_point_at_heading_ids(built_site: Path) -> None:
    doc = html(built_site, "zh-hant/buy-sim/index.html")
    href = doc.css_first("main a[href*='#']").attributes["href"]
    target_path, anchor = href.removeprefix("/guide/").split("#")
    target = html(built_site, target_path + "index.html")
    assert target.css_first(f'[id="{anchor}"]') is not None


def test_heading_ids_identical_in_both_scripts(built_site: Path) -> None:
    for key in ("alpha/top-up/", "alpha/cancel/"):
        ids = [
            [h.attributes.get("id") for h in html(built_site, f"{lang}/{key}index.html").css("article h2")]
            for lang in ("zh-hans", "zh-hant")
        ]
        assert ids[0] == ids[1] and all(ids[0])


def test_chooser_has_plain_links_and_language_redirect(built_site: Path) -> None:
    doc = html(built_site, "index.html")
    links = {a.attributes["hreflang"]: a.attributes["href"] for a in doc.css("a[hreflang]")}
    assert links == {"zh-Hans": "/guide/zh-hans/", "zh-Hant": "/guide/zh-hant/"}
    script = doc.css_first("head script").text()
    for needle in ("zh-(tw|hk|mo|hant)", "localStorage", "location.replace"):
        assert needle in script


def test_404_has_both_scripts(built_site: Path) -> None:
    doc = html(built_site, "404.html")
    sections = {s.attributes["lang"]: s.text() for s in doc.css("section[lang]")}
    assert "找不到页面" in sections["zh-Hans"] and "找不到頁面" in sections["zh-Hant"]


def test_sitemap_lists_every_page_with_hreflang_alternates(built_site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built_site / "sitemap.xml").getroot()
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert len(locs) == 2 * len(PAGE_KEYS) + 1 and len(set(locs)) == len(locs)
    for url in root.findall("s:url", ns):
        langs = sorted(link.get("hreflang") for link in url.findall("x:link", ns))
        assert langs == ["x-default", "zh-Hans", "zh-Hant"]
    assert f"Sitemap: {BASE}sitemap.xml" in (built_site / "robots.txt").read_text()


def test_atom_feeds_sorted_by_updated(built_site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for lang in ("zh-hans", "zh-hant"):
        root = ET.parse(built_site / lang / "feed.xml").getroot()
        updated = [e.find("a:updated", ns).text for e in root.findall("a:entry", ns)]
        assert len(updated) == 4 and updated == sorted(updated, reverse=True)
        assert root.find("a:updated", ns).text == updated[0]
    titles = [
        e.text for e in ET.parse(built_site / "zh-hant/feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}title")
    ]
    assert "給 Alpha 門號儲值" in titles


def test_dates_are_formatted_by_babel_for_each_locale(built_site: Path) -> None:
    import datetime as dt

    from babel.dates import format_date

    for lang, babel in (("zh-hans", "zh_Hans_CN"), ("zh-hant", "zh_Hant_TW")):
        doc = html(built_site, f"{lang}/alpha/top-up/index.html")
        assert doc.css_first(".review time").text() == format_date(dt.date(2026, 11, 20), "long", locale=babel)


def test_facts_render_the_same_in_both_scripts(built_site: Path) -> None:
    values = [
        [
            n.html
            for n in html(built_site, f"{lang}/alpha/top-up/index.html").css(
                "article p .fact, article li .fact, article td .fact"
            )
        ]
        for lang in ("zh-hans", "zh-hant")
    ]
    assert values[0] == values[1] and values[0]
    tel = html(built_site, "zh-hans/alpha/top-up/index.html").css_first("a.tel")
    assert tel.attributes["href"] == "tel:*100%23" and tel.text() == "*100#YES"


def test_house_price_format_and_day_units(built_site: Path) -> None:
    text = html(built_site, "zh-hans/beta/top-up/index.html").css_first("article").text()
    assert "20\u00a0AZN" in text and "30 天" in text


def test_topic_page_compares_operators_from_facts(built_site: Path) -> None:
    doc = html(built_site, "zh-hans/top-up/index.html")
    heads = [th.text() for th in doc.css("table thead th")]
    assert heads == ["Alpha", "Beta"]
    # one row group per fact: a heading row spanning the operators, then one cell per operator
    rows = {body.css_first("th").text(): [td.text() for td in body.css("td")] for body in doc.css("tbody")}
    assert rows["查询余额"][0].startswith("*100#YES") and rows["查询余额"][1].startswith("*777#")
    assert rows["客服热线"][0].startswith("555") and "无法确认" in rows["客服热线"][1]
    for td in doc.css("td"):  # every cell names its operator and its fact by id
        ids = td.attributes["headers"].split()
        assert len(ids) == 2 and all(doc.css_first(f'th[id="{i}"]') for i in ids)


def test_operator_page_lists_facts_with_source_and_date(built_site: Path) -> None:
    doc = html(built_site, "zh-hant/alpha/index.html")
    terms = [dt.text() for dt in doc.css("dl.facts dt")]
    assert terms == ["查詢餘額", "客服專線", "官方 App"]
    first = doc.css_first("dl.facts dd")
    assert first.css_first("time").attributes["datetime"] == "2026-11-01"
    assert first.css_first(".source a").attributes["href"] == "https://www.alpha.example/balance"


def test_external_links_get_noopener_and_unofficial_sources_are_not_links(built_site: Path) -> None:
    doc = html(built_site, "zh-hans/alpha/top-up/index.html")
    for a in doc.css("a[href^='https://']"):
        assert a.attributes.get("rel") == "noopener"
    assert not doc.css("a[href^='https://news.example']")


def test_hand_written_page_wins_and_is_not_marked_converted(built_site: Path) -> None:
    hand = html(built_site, "zh-hant/alpha/cancel/index.html")
    assert hand.css_first("h1").text() == "停用 Alpha 門號"
    assert hand.css_first("footer .converted") is None
    assert html(built_site, "zh-hant/alpha/top-up/index.html").css_first("footer .converted") is not None
    assert html(built_site, "zh-hans/alpha/top-up/index.html").css_first("footer .converted") is None


def test_callout_and_table(built_site: Path) -> None:
    doc = html(built_site, "zh-hans/alpha/top-up/index.html")
    assert "不要把充值卡密码" in doc.css_first(".callout-warning").text()
    assert doc.css_first("article table td") is not None


def test_subpath_base_url_override(tmp_path: Path) -> None:
    from tests.conftest import SITE, build

    result = build(SITE / "content", tmp_path / "out", "--base-url", "https://user.github.io/repo")
    assert result.code == 0, result.err
    doc = html(tmp_path / "out", "zh-hans/alpha/index.html")
    assert doc.css_first('link[rel="canonical"]').attributes["href"] == "https://user.github.io/repo/zh-hans/alpha/"
    assert doc.css_first("script[src]").attributes["src"] == "/repo/static/site.js"
    assert doc.css_first('link[rel="icon"]').attributes["href"] == "/repo/static/favicon.svg"


def test_search_page_exists_in_both_scripts_and_is_reserved(built_site: Path, site_copy: Path, tmp_path: Path) -> None:
    from tests.conftest import build

    for lang in ("zh-hans", "zh-hant"):
        doc = html(built_site, f"{lang}/search/index.html")
        assert doc.css_first("form[role=search] input[name=q]") is not None
        assert "defer" in doc.css_first('script[src$="static/search.js"]').attributes
        assert html(built_site, f"{lang}/alpha/index.html").css_first(".site-header a.search-link") is not None
    assert "search/" not in (built_site / "sitemap.xml").read_text("utf-8")
    (site_copy / "guides/search.md").write_text("---\ntitle: x\nsummary: x\nupdated: 2026-01-01\n---\nx\n", "utf-8")
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1 and any(
        "'search' claims the URL /search/ already taken by the search page; rename it" in line for line in result.lines
    )


def test_repo_url_override_turns_on_feedback_links(tmp_path: Path) -> None:
    from tests.conftest import SITE, build

    result = build(SITE / "content", tmp_path / "out", "--repo-url", "https://github.com/other/repo")
    assert result.code == 0, result.err
    doc = html(tmp_path / "out", "zh-hant/alpha/cancel/index.html")
    edit = doc.css_first(".feedback a").attributes["href"]
    assert edit == "https://github.com/other/repo/edit/main/content/guides/alpha/cancel.zh-Hant.md"


def test_subpath_build_crawls_without_a_broken_link(tmp_path: Path) -> None:
    """Every link, stylesheet, script and icon of a build for https://user.github.io/repo/
    resolves to a file in the output when the site is served under /repo/."""
    from urllib.parse import unquote, urljoin, urlsplit

    from tests.conftest import SITE, build

    out = tmp_path / "out"
    assert build(SITE / "content", out, "--base-url", "https://user.github.io/repo/", search=True).code == 0
    start = "https://user.github.io/repo/"
    seen, queue, broken = set(), [start], []
    while queue:
        url = queue.pop()
        path = unquote(urlsplit(url).path)
        assert path.startswith("/repo/"), url
        rel = path.removeprefix("/repo/")
        target = out / rel / "index.html" if rel.endswith("/") or rel == "" else out / rel
        if not target.is_file():
            broken.append(url)
            continue
        if target.suffix != ".html":
            continue
        doc = LexborHTMLParser(target.read_text("utf-8"))
        for node in doc.css("a[href], link[href], script[src], img[src]"):
            ref = node.attributes.get("href") or node.attributes.get("src") or ""
            absolute = urljoin(url, ref).split("#")[0].split("?")[0]
            if absolute.startswith(start) and absolute not in seen:
                seen.add(absolute)
                queue.append(absolute)
    assert broken == []
    reached = {unquote(urlsplit(u).path).removeprefix("/repo/") for u in seen | {start}}
    pages = {p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("*.html")}
    # every page is linked from somewhere but the 404 page and the offline pages (the service worker's)
    assert pages - reached == {"404.html", "zh-hans/offline/", "zh-hant/offline/"}
    search = (out / "zh-hans/search/index.html").read_text("utf-8")
    assert 'data-base="/repo/"' in search and (out / "pagefind/pagefind.js").is_file()
