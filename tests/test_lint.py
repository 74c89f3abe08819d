"""Content rules: typed codes, promotion, allow-listed hosts, superseded facts, fact rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, build, run_cli

FRONT = "---\ntitle: 测试\nsummary: 测试。\nupdated: 2026-11-01\n---\n"


def _check(site: Path, body: str) -> list[str]:
    (site / "guides" / "lint.md").write_text(FRONT + body, "utf-8")
    result = run_cli("check", "--root", REPO, "--content", site)
    return [line.split("lint.md:", 1)[1] for line in result.lines if "guides/lint.md:" in line]


NEW_FACT = "add it to the facts with its source, then reference it as {{operator.key}}"


@pytest.mark.parametrize(
    "body, typed, use",
    [
        ("拨打*100#查询。\n", "*100#", "use {{alpha.balance}}"),
        ("拨打*100查询。\n", "*100", "use {{alpha.balance}}"),  # without its closing '#'
        ("客服电话555。\n", "555", "use {{alpha.hotline}}"),
        ("请拨打 +994 12 345 67 89。\n", "+994 12 345 67 89", NEW_FACT),
        ("输入 `*777#` 即可。\n", "*777#", "use {{beta.balance}}"),
        ("输入 `*111*1*7` 即可。\n", "*111*1*7", NEW_FACT),
        ("费用 20 马纳特。\n", "20 马纳特", "use {{general.imei-fee}}"),
        ("费用 0.10 AZN。\n", "0.10 AZN", NEW_FACT),
        ("费用 ₼5。\n", "₼5", NEW_FACT),
        ("自2025年7月1日起生效。\n", "2025年7月1日", "use {{alpha.hotline}}"),  # that fact's `since`
        ("自 2025-04-08 起生效。\n", "2025-04-08", NEW_FACT),
        ("2025年4月起生效。\n", "2025年4月", NEW_FACT),
    ],
)
def test_facts_typed_into_text_point_at_the_fact_to_use(site_copy: Path, body: str, typed: str, use: str) -> None:
    expected = f"6: warning: '{typed}' is typed into the text; {use}, so it is sourced and kept up to date"
    assert _check(site_copy, body) == [expected]


def test_plain_numbers_are_not_facts(site_copy: Path) -> None:
    assert _check(site_copy, "2025年起，买卡，或 30 天内办理，第 3 步，共 12 个月，5*3=15。\n") == []


@pytest.mark.parametrize(
    "text",
    [
        "加微信 cheapsim88",
        "https://t.me/cheapsim",
        "Telegram: @simshop",
        "[短链](https://bit.ly/abc)",
        "WhatsApp：simseller",
        "找人代充",
    ],
)
def test_promotion_is_an_error(site_copy: Path, text: str) -> None:
    problems = _check(site_copy, f"{text}\n")
    assert [p for p in problems if p.startswith("6: promotion is not allowed")] != []
    assert all(p.startswith(("6: promotion", "6: external link")) for p in problems)


def test_scam_warnings_are_not_promotion(site_copy: Path) -> None:
    assert _check(site_copy, "不要相信自称能代办注销的陌生人，也不要点可疑的 WhatsApp 链接。\n") == []


def test_operator_subdomains_and_listed_hosts_are_allowed(site_copy: Path) -> None:
    body = "[a](https://internet.alpha.example/x) [b](https://www.e-gov.az/) [c](https://alpha.example.evil.com/)\n"
    expected = (
        "6: external link to 'alpha.example.evil.com' is not on the allow-list; link only to "
        "official sites, or add the host to external_hosts in site.yaml if it is official"
    )
    assert _check(site_copy, body) == [expected]


def test_superseded_facts_never_go_stale_and_say_so(site_copy: Path, tmp_path: Path, monkeypatch) -> None:
    alpha = site_copy / "operators" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text("utf-8") + "  old-rule:\n    value: 20\n    unit: days\n"
        "    source: https://www.alpha.example/old\n    checked: 2020-01-01\n"
        "    label: 旧规则\n    history: true\n",
        "utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_900_000_000))
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert not any("alpha.old-rule" in line for line in result.lines)
    assert any("alpha.hotline" in line and "more than 12 months" in line for line in result.lines)
    assert build(site_copy, tmp_path / "out").code == 0
    doc = LexborHTMLParser((tmp_path / "out/zh-hans/alpha/index.html").read_text("utf-8"))
    rows = {dt.text(): dd for dt, dd in zip(doc.css("dl.facts dt"), doc.css("dl.facts dd"), strict=False)}
    assert rows["旧规则"].css_first(".history") is not None and rows["查询余额"].css_first(".history") is None


def test_date_facts_render_as_babel_dates(site_copy: Path, tmp_path: Path) -> None:
    facts = site_copy / "facts.yaml"
    facts.write_text(
        facts.read_text("utf-8") + '  since:\n    value: "2017-02-01"\n'
        "    source: https://www.e-gov.az/\n    verified: 2026-01-01\n",
        "utf-8",
    )
    (site_copy / "guides" / "d.md").write_text(FRONT + "自 {{general.since}} 起。\n", "utf-8")
    assert build(site_copy, tmp_path / "out").code == 0
    for lang, text in (("zh-hans", "2017年2月1日"), ("zh-hant", "2017年2月1日")):
        doc = LexborHTMLParser((tmp_path / f"out/{lang}/d/index.html").read_text("utf-8"))
        node = doc.css_first("article p time.fact")
        assert node.text() == text and node.attributes["datetime"] == "2017-02-01"
