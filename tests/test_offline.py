"""Offline reading and code cards (issue 19): the service worker's precache lists, the manifest,
turning it off, each operator's code card; in chromium, reading guides offline under a sub-path,
a new deploy replacing the cache, and the code card printing on one A4 sheet."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sitegen.output.offline import precache
from tests.conftest import REPO, QuietHandler, QuietServer, build, build_real

LANGS = ("zh-hans", "zh-hant")
BUDGET = 1_500_000  # bytes transferred per script (issue 19)


def config_of(out: Path) -> dict:
    """The CONFIG object sw.js starts with."""
    text = (out / "sw.js").read_text("utf-8")
    return json.loads(re.match(r"const CONFIG = (.*?);\n", text, re.DOTALL)[1])


def html(out: Path, path: str) -> HTMLParser:
    return HTMLParser((out / path).read_text("utf-8"))


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_real(tmp_path_factory, "offline", "https://example.org/sub/")


def copy_content(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path / "content"


# --- the service worker and the manifest -------------------------------------------------------


def test_every_page_of_a_script_is_precached_under_the_sub_path(real: Path) -> None:
    config = config_of(real)
    assert config["scope"] == "/sub/"
    for lang in LANGS:
        pages = {f"/sub/{p.parent.relative_to(real).as_posix()}/" for p in (real / lang).rglob("index.html")}
        listed = set(config["scripts"][lang])
        assert pages <= listed, sorted(pages - listed)
        assert {"/sub/static/site.js", f"/sub/{lang}/manifest.webmanifest", "/sub/pagefind/pagefind.js"} <= listed
        assert not any(u.startswith(f"/sub/{other}/") for other in LANGS if other != lang for u in listed)
        assert config["offline"][lang] == f"/sub/{lang}/offline/" and config["offline"][lang] in listed


def test_what_one_script_precaches_fits_the_budget(real: Path) -> None:
    for lang in LANGS:
        files = [real / u.removeprefix("/sub/") for u in config_of(real)["scripts"][lang]]
        files = [f / "index.html" if f.is_dir() else f for f in files]
        size = sum(len(f.read_bytes()) if "pagefind/" in f.as_posix() else gzip_size(f.read_bytes()) for f in files)
        assert 0 < size <= BUDGET, f"{lang}: {size:,} bytes"


def test_a_small_budget_keeps_the_first_pages_and_drops_search(real: Path) -> None:
    files = {p.relative_to(real).as_posix(): p.read_bytes() for p in real.rglob("*") if p.is_file()}
    kept = precache("zh-Hans", files, budget=60_000)
    assert 0 < kept.pages < kept.total and not kept.search and kept.size <= 60_000
    pages = [p for p in kept.paths if p.startswith("zh-hans/")]
    assert pages[:2] == ["zh-hans/manifest.webmanifest", "zh-hans/offline/index.html"]
    assert pages[2] == "zh-hans/index.html"  # then the home page, then the shallower pages


def test_pages_register_the_worker_and_link_the_manifest(real: Path) -> None:
    for lang in LANGS:
        page = html(real, f"{lang}/nar/top-up/index.html")
        script = page.css_first("script[data-sw]")
        assert script.attributes["data-sw"] == "/sub/sw.js" and script.attributes["data-scope"] == "/sub/"
        assert page.css_first('link[rel="manifest"]').attributes["href"] == f"/sub/{lang}/manifest.webmanifest"
        manifest = json.loads((real / lang / "manifest.webmanifest").read_text("utf-8"))
        assert manifest["start_url"] == f"/sub/{lang}/" and manifest["scope"] == "/sub/"
        assert manifest["lang"].lower() == lang and manifest["name"]
        assert (real / manifest["icons"][0]["src"].removeprefix("/sub/")).is_file()


def test_the_cache_name_follows_the_content(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    versions = []
    for name in ("a", "b", "c"):
        if name == "c":
            guide = content / "guides/nar/top-up.md"
            guide.write_text(guide.read_text("utf-8").replace("\n\n", "\n\n改过的一句话。\n\n", 1), "utf-8")
        assert build(content, tmp_path / name / "public").code == 0
        versions.append(config_of(tmp_path / name / "public")["version"])
    assert versions[0] == versions[1] != versions[2]


def test_offline_false_removes_the_worker_from_readers_browsers(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    with (content / "site.yaml").open("a", encoding="utf-8") as fh:
        fh.write("offline: false\n")
    out = tmp_path / "public"
    assert build(content, out).code == 0, "build failed"
    worker = (out / "sw.js").read_text("utf-8")
    assert worker.startswith("const CONFIG = null;\n") and "unregister()" in worker
    page = html(out, "zh-hans/nar/top-up/index.html")
    assert page.css_first("script[data-sw]") is None and page.css_first('link[rel="manifest"]') is None
    assert not (out / "zh-hans/offline").exists() and not (out / "zh-hans/manifest.webmanifest").exists()


def test_offline_must_be_true_or_false(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    with (content / "site.yaml").open("a", encoding="utf-8") as fh:
        fh.write("offline: sometimes\n")
    result = build(content, tmp_path / "public")
    assert result.code == 1 and re.fullmatch(
        r"\S*content/site\.yaml:\d+: .*'offline' must be true or false\n", result.err
    )


# --- code cards ---------------------------------------------------------------------------------


def codes_in_data(op: str) -> dict[str, str]:
    """Every code and number of an operator, read from its data file: values with * or #, or
    three or more digits, that carry no unit and are not a superseded rule."""
    facts = yaml.safe_load((REPO / f"content/operators/{op}.yaml").read_text("utf-8"))["facts"]
    return {
        key: str(f["value"])
        for key, f in facts.items()
        if "unit" not in f
        and not f.get("history")
        and (re.search(r"[*#]", str(f["value"])) or re.fullmatch(r"\+?[0-9 ]{3,}", str(f["value"])))
    }


def card_codes(out: Path, lang: str, op: str) -> list[str]:
    page = html(out, f"{lang}/{op}/codes/index.html")
    return [code.text() for code in page.css(".codes dd code")]


@pytest.mark.parametrize("op", ["azercell", "bakcell", "nar"])
def test_the_code_card_lists_every_code_of_the_operator(real: Path, op: str) -> None:
    expected = sorted(codes_in_data(op).values())
    for lang in LANGS:
        assert sorted(card_codes(real, lang, op)) == expected
        page = html(real, f"{lang}/{op}/codes/index.html")
        rows = page.css(".codes > div")
        assert all(row.css_first("time[datetime]") for row in rows)  # each with the day it was checked
        dialable = [a for a in page.css(".codes a.tel") if re.fullmatch(r"[*#0-9]+(YES)?", a.text())]
        assert dialable and all(a.attributes["href"].startswith("tel:") for a in dialable)
        assert not page.css(".codes a.tel code:not(:only-child)")


def test_codes_are_grouped_by_task_in_the_readers_script(real: Path) -> None:
    groups = [h.text() for h in html(real, "zh-hans/azercell/codes/index.html").css("main h2")]
    assert groups == ["查询余额和用量", "充值和转账", "套餐", "客服和帮助"]
    groups = [h.text() for h in html(real, "zh-hant/azercell/codes/index.html").css("main h2")]
    assert groups == ["查詢餘額和用量", "儲值和轉帳", "方案", "客服與協助"]


def test_a_new_fact_with_a_code_appears_on_the_card(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    data = (content / "operators/bakcell.yaml").read_text("utf-8")
    fact = (
        '  hotline-abroad:\n    value: "+994 55 000 00 00"\n    source: https://www.bakcell.com/\n'
        "    checked: 2026-12-01\n    label: 从国外拨打客服\n"
    )
    (content / "operators/bakcell.yaml").write_text(data.replace("facts:\n", "facts:\n" + fact, 1), "utf-8")
    out = tmp_path / "public"
    result = build(content, out)
    assert result.code == 0, result.err
    page = html(out, "zh-hans/bakcell/codes/index.html")
    row = next(r for r in page.css(".codes > div") if r.css_first("dt").text() == "从国外拨打客服")
    assert row.css_first("a.tel").attributes["href"] == "tel:+994550000000"
    assert row.css_first("time").attributes["datetime"] == "2026-12-01"


def test_the_card_is_linked_from_the_operator_page_and_its_guides(real: Path) -> None:
    for lang in LANGS:
        target = f"/sub/{lang}/nar/codes/"
        for path in (f"{lang}/nar/index.html", f"{lang}/nar/top-up/index.html", f"{lang}/nar/cancel/index.html"):
            assert target in [a.attributes["href"] for a in html(real, path).css("a.codes-link")], path


# --- in chromium --------------------------------------------------------------------------------


class Server:
    """The built site under /sub/ on 127.0.0.1 (a secure context for service workers); the folder
    it serves can be swapped, as a deploy does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        server = self

        class Handler(QuietHandler):
            def translate_path(self, path: str) -> str:
                if not path.startswith("/sub/"):
                    return str(server.folder / "missing")
                return str(server.folder / path.split("?", 1)[0].removeprefix("/sub/"))

        self.httpd = QuietServer(Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/sub/"


@pytest.fixture
def server(real: Path):
    s = Server(real)
    yield s
    s.httpd.shutdown()


def wait_until_cached(page, version: str) -> None:
    """The worker has installed and activated this version (both scripts cached), and holds no other."""
    check = """async (name) => {
      const reg = await navigator.serviceWorker.getRegistration();
      return Boolean(reg && reg.active) && (await caches.keys()).join() === name;
    }"""
    deadline = time.monotonic() + 60
    while not page.evaluate(check, "sitegen-" + version):
        assert time.monotonic() < deadline, page.evaluate("caches.keys()")
        page.wait_for_timeout(200)


def h1(page) -> str:
    return page.locator("h1").first.inner_text()


def expected_h1(out: Path, path: str) -> str:
    return html(out, path + "index.html").css_first("h1").text()


def test_guides_open_offline_in_both_scripts(browser, real: Path, server: Server) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.base + "zh-hans/nar/top-up/")
    wait_until_cached(page, config_of(real)["version"])
    context.set_offline(True)
    for path in ("zh-hans/azercell/esim/", "zh-hans/bakcell/cancel/", "zh-hans/first-day/", "zh-hant/nar/renew/"):
        page.goto(server.base + path)
        assert h1(page) == expected_h1(real, path)
        assert page.locator("main p").count() > 1
    page.goto(server.base + "zh-hant/no-such-page/")  # not kept: the offline page, in that script
    assert h1(page) == "目前沒有網路"
    links = page.locator("[data-offline-list] a")
    links.first.wait_for()
    cached = set(config_of(real)["scripts"]["zh-hant"])
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs and all(h in cached for h in hrefs)
    context.close()


def test_a_new_deploy_replaces_the_cache(browser, real: Path, server: Server, tmp_path: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.base + "zh-hans/nar/renew/")
    wait_until_cached(page, config_of(real)["version"])

    content = copy_content(tmp_path)
    guide = content / "guides/nar/renew.md"
    guide.write_text(guide.read_text("utf-8").replace("title: ", "title: 新版：", 1), "utf-8")
    new = tmp_path / "public"
    assert build(content, new, "--base-url", "https://example.org/sub/", search=True).code == 0
    server.folder = new  # the deploy
    page.reload()
    assert h1(page).startswith("新版：")  # online, the network's page
    wait_until_cached(page, config_of(new)["version"])  # the old cache is gone
    context.set_offline(True)
    page.reload()
    assert h1(page).startswith("新版：")  # offline, the new cache's page
    page.goto(server.base + "zh-hant/nar/renew/")
    assert h1(page).startswith("新版：")
    context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", ["azercell", "bakcell", "nar"])
def test_the_code_card_prints_on_one_a4_sheet(browser, server: Server, lang: str, op: str) -> None:
    page = browser.new_page()
    page.goto(server.base + f"{lang}/{op}/codes/")
    pdf = page.pdf(format="A4")
    page.close()
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1
