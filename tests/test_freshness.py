"""Fact dates: `checked` and `as_of`, the review box on every guide, facts due for a check
(warnings, never errors), the weekly report, and long warning lists kept readable."""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, SITE, build, run_cli

DUE_GOLDEN = SITE / "due.md"
LATER = "1830297600"  # 2028-01-01: every fixture fact is due


def test_the_due_report_matches_its_golden_file(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    result = run_cli("check", "--due", "--root", REPO, "--content", SITE / "content")
    assert result.code == 0, result.err
    assert result.out.replace(str(SITE.relative_to(REPO)), "SITE") == DUE_GOLDEN.read_text("utf-8")
    rows = [line for line in result.out.splitlines() if line.startswith("| `")]
    checked = [row.split(" | ")[3] for row in rows]
    assert len(rows) == 6 and checked == sorted(checked, reverse=True), "newest work first"


def test_nothing_due_gives_a_report_without_rows() -> None:
    result = run_cli("check", "--due", "--root", REPO, "--content", SITE / "content")
    assert result.code == 0
    assert [line for line in result.out.splitlines() if line.startswith("| `")] == [
        line for line in result.out.splitlines() if "general.imei-fee" in line
    ]


def test_a_fact_three_years_old_warns_shows_its_date_and_exits_0(site_copy: Path, tmp_path: Path) -> None:
    facts = site_copy / "operators/alpha.yaml"
    facts.write_text(
        facts.read_text("utf-8").replace(
            "source: https://www.alpha.example/balance\n    checked: 2026-11-01",
            "source: https://www.alpha.example/balance\n    checked: 2023-11-30",
        ),
        "utf-8",
    )
    check = run_cli("check", "--root", REPO, "--content", site_copy)
    assert check.code == 0, check.err
    assert [line.split(": warning: ")[1] for line in check.lines if "alpha.balance' was checked" in line] == [
        "fact 'alpha.balance' was checked on 2023-11-30, more than 12 months ago; "
        "open its source again and update 'checked'"
    ]
    assert run_cli("check", "--root", REPO, "--content", site_copy, "--strict").code == 1
    out = tmp_path / "public"
    assert build(site_copy, out).code == 0
    for lang, last, due, muted in (
        ("zh-hans", "最后核对", "2024年11月30日", "（核对于 2023年11月30日）"),
        ("zh-hant", "最後查核", "2024年11月30日", "（查核於 2023年11月30日）"),
    ):
        page = LexborHTMLParser((out / lang / "alpha/top-up/index.html").read_text("utf-8"))
        review = {dt.text(): dd.text() for dt, dd in zip(page.css(".review dt"), page.css(".review dd"), strict=False)}
        assert review[last] == "2023年11月30日"
        assert due in review.values()
        assert {n.text() for n in page.css("article small.fact-checked")} == {muted}


def test_every_guide_page_ends_with_the_review_box(built_site: Path) -> None:
    pages = sorted(built_site.glob("zh-han*/**/index.html"))
    guides = [
        p
        for p in pages
        if LexborHTMLParser(p.read_text("utf-8")).css_first('script[type="application/ld+json"]')
        and '"Article"' in p.read_text("utf-8")
    ]
    assert len(guides) == 8  # four published guides in two scripts
    for page in guides:
        doc = LexborHTMLParser(page.read_text("utf-8"))
        article = doc.css_first("article")
        assert article.last_child is not None
        box = [n for n in article.iter() if n.tag == "dl"][-1]
        assert "review" in box.attributes.get("class", "")
        dates = [t.attributes["datetime"] for t in box.css("time")]
        assert len(dates) == 3 and dates[2][4:] == dates[1][4:] and int(dates[2][:4]) == int(dates[1][:4]) + 1


def test_last_checked_is_the_oldest_of_the_guide_and_its_facts(built_site: Path) -> None:
    page = LexborHTMLParser((built_site / "zh-hans/beta/top-up/index.html").read_text("utf-8"))
    assert [t.attributes["datetime"] for t in page.css(".review time")] == ["2026-11-15", "2024-01-10", "2025-01-10"]
    page = LexborHTMLParser((built_site / "zh-hans/buy-sim/index.html").read_text("utf-8"))
    times = [t.attributes["datetime"] for t in page.css(".review time")]
    assert times[0] == times[1], "a guide without facts was last checked when it was updated"


def test_a_rule_shows_the_day_it_took_effect_and_its_source_date(built_site: Path) -> None:
    page = LexborHTMLParser((built_site / "zh-hans/alpha/cancel/index.html").read_text("utf-8"))
    assert [n.text() for n in page.css("article p .since")] == ["（自 2025年7月1日起）"]
    source = [n.text() for n in page.css(".page-facts .source")]
    assert any("来源日期 2025年6月2日" in s and "核对于 2026年11月1日" in s for s in source), source


def test_the_old_verified_key_still_builds_with_a_rename_hint(site_copy: Path) -> None:
    facts = site_copy / "operators/alpha.yaml"
    text = facts.read_text("utf-8")
    facts.write_text(
        text.replace("    checked: 2026-11-01\n    label: 查询余额", "    verified: 2026-11-01\n    label: 查询余额"),
        "utf-8",
    )
    line = text.split("\n").index("    checked: 2026-11-01") + 1
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert result.code == 0
    assert [d for d in result.lines if "'verified' is now" in d] == [
        f"{facts.relative_to(REPO) if facts.is_relative_to(REPO) else facts}:{line}: warning: fact 'alpha.balance': "
        "'verified' is now two dates: rename it to 'checked' (the day you opened the source and saw it say "
        "this) and, if the source states a date, add 'as_of'"
    ]


def test_hundreds_of_one_warning_print_twenty_and_a_count(site_copy: Path) -> None:
    before = run_cli("check", "--root", REPO, "--content", site_copy, "--all")
    already = len([line for line in before.lines if "is typed into the text" in line])
    guide = site_copy / "guides/buy-sim.md"
    guide.write_text(
        guide.read_text("utf-8") + "\n" + "\n\n".join(f"拨打 *{100 + i}# 试试。" for i in range(150)), "utf-8"
    )
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    typed = [line for line in result.lines if "is typed into the text" in line]
    assert len(typed) == 20
    total = 150 + already
    assert f"... and {total - 20} more 'typed-fact' warnings ({total} in all); --all lists every one" in result.lines
    everything = run_cli("check", "--root", REPO, "--content", site_copy, "--all")
    assert len([line for line in everything.lines if "is typed into the text" in line]) == total
    assert not [line for line in everything.lines if line.startswith("... and")]


def test_the_real_site_passes_check_and_lists_no_error() -> None:
    result = run_cli("check", "--root", REPO)
    assert result.code == 0, result.err
    assert not [line for line in result.lines if re.search(r":\d+: (?!warning: )", line)]
