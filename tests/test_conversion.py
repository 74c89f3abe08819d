"""zh-Hant through the whole pipeline (not raw OpenCC): the regression pairs, leftovers, linting."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, SITE, build, run_cli, simplified_only

FRONT = "---\ntitle: 测试\nsummary: 测试。\nupdated: 2026-11-01\n---\n"

PAIRS = Path(__file__).parent / "data" / "zh-hant-pairs.tsv"


def read_pairs() -> list[tuple[str, list[str]]]:
    rows = []
    for line in PAIRS.read_text("utf-8").splitlines():
        if line.startswith(("#", "zh-Hans\t")) or not line.strip():
            continue
        cells = line.split("\t")
        rows.append((cells[0], cells[1].split("|")))
    return rows


def test_pairs_file_is_the_full_regression_set() -> None:
    assert len(read_pairs()) >= 38


def test_every_pair_converts_through_the_pipeline(site_copy: Path, tmp_path: Path) -> None:
    pairs = read_pairs()
    items = "\n".join(f"- {hans}" for hans, _ in pairs)
    (site_copy / "guides" / "pairs.md").write_text(
        f"---\ntitle: 词表\nsummary: 转换测试。\nupdated: 2026-11-01\n---\n{items}\n", "utf-8"
    )
    result = build(site_copy, tmp_path / "out")
    assert result.code == 0, result.err
    doc = LexborHTMLParser((tmp_path / "out/zh-hant/pairs/index.html").read_text("utf-8"))
    got = [li.text() for li in doc.css("article > ul > li")]
    wrong = [(hans, out, ok) for (hans, ok), out in zip(pairs, got, strict=False) if out not in ok]
    assert len(got) == len(pairs) and wrong == []


def test_front_matter_and_titles_are_converted(built_site: Path) -> None:
    doc = LexborHTMLParser((built_site / "zh-hant/alpha/top-up/index.html").read_text("utf-8"))
    assert doc.css_first("h1").text() == "給 Alpha 門號儲值"
    assert doc.css_first('meta[name="description"]').attributes["content"].startswith("用儲值卡")


def test_code_urls_and_overrides_are_not_converted(built_site: Path) -> None:
    article = LexborHTMLParser((built_site / "zh-hant/alpha/top-up/index.html").read_text("utf-8")).css_first("article")
    codes = [c.text() for c in article.css("p > code")]
    assert codes == ["*100#", "软件"]
    text = article.text()
    assert "「引號」" in text and "軟體 和 短信" in text


def test_zh_hant_output_has_no_simplified_only_characters(built_site: Path) -> None:
    for page in (built_site / "zh-hant").rglob("*.html"):
        doc = LexborHTMLParser(page.read_text("utf-8"))
        for node in doc.css('code, [lang="zh-Hans"]'):  # codes and the switcher to zh-Hans
            node.decompose()
        assert simplified_only(doc.body.text()) == [], page


def test_traditional_characters_in_zh_hans_source_are_reported(site_copy: Path) -> None:
    from tests.conftest import REPO, run_cli

    guide = site_copy / "guides" / "buy-sim.md"
    guide.write_text(guide.read_text("utf-8").replace("护照。", "護照與簽證。"), "utf-8")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert any(
        line.endswith(
            "guides/buy-sim.md:9: warning: zh-Hans text has Traditional characters "
            "簽與證護; write Simplified (mixed input converts badly)"
        )
        for line in result.lines
    ), result.err


def test_conversion_profile_is_configurable(site_copy: Path, tmp_path: Path) -> None:
    from tests.conftest import copy_project

    root = copy_project(tmp_path)
    (root / "i18n/empty.tsv").write_text("# no entries\n", "utf-8")
    (root / "i18n/rules.yaml").unlink()
    (root / "i18n/mainland-terms.tsv").unlink()  # raw OpenCC output is what this test wants
    site = site_copy / "site.yaml"
    site.write_text(site.read_text("utf-8") + "conversion:\n  opencc: s2hk\n  glossary: i18n/empty.tsv\n", "utf-8")
    result = run_cli("build", "--root", root, "--content", site_copy, "--out", tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    doc = LexborHTMLParser((tmp_path / "out/zh-hant/alpha/top-up/index.html").read_text("utf-8"))
    assert "充值" in doc.css_first("h1").text()  # no Taiwan glossary: 充值 stays


def test_a_missing_glossary_is_an_error(site_copy: Path, tmp_path: Path) -> None:
    site = site_copy / "site.yaml"
    site.write_text(site.read_text("utf-8") + "conversion:\n  glossary: i18n/none.tsv\n", "utf-8")
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert result.lines == [
        "i18n/none.tsv:1: conversion glossary not found; create it or fix conversion.glossary in site.yaml"
    ]


def test_traditional_only_characters_are_those_t2s_changes_alone() -> None:
    """Traditional-only characters are exactly those OpenCC's t2s changes when each stands alone."""
    import opencc

    from sitegen.text.chinese import traditional_only

    t2s = opencc.OpenCC("t2s")
    ideographs = [chr(code) for code in range(0x4E00, 0xA000)]
    changed = sorted(c for c in ideographs if t2s.convert(c) != c)
    assert traditional_only("".join(ideographs)) == changed and len(changed) > 1000
    assert traditional_only("发送這個短信到號碼。這") == sorted("個號這碼")


def _converter():
    from sitegen.build import make_converter
    from sitegen.diagnostics import Report
    from sitegen.model import Conversion

    report = Report()
    converter = make_converter(REPO, Conversion(), report)
    assert report.items == []
    return converter


def _rules():
    from sitegen.content.vocab import VocabReader
    from sitegen.diagnostics import Report
    from sitegen.model import Conversion

    return VocabReader(REPO, Report()).rules(REPO / Conversion().rules)


@pytest.mark.parametrize(
    "name, phrase, sentence, expected", [(rule.name, *test) for rule in _rules() for test in rule.tests]
)
def test_each_context_rule_gives_its_expected_sentence(name: str, phrase: str, sentence: str, expected: str) -> None:
    assert phrase in sentence
    assert _converter().convert(sentence) == expected, name


def test_explain_names_the_entry_behind_each_change(tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text("---\ntitle: 通过运营商充值\nsummary: s\nupdated: 2026-11-01\n---\n资料审核通过。\n", "utf-8")
    result = run_cli("convert", source, "--root", REPO, "--explain")
    assert result.code == 0, result.err
    first = result.out.splitlines()[1]
    assert first.startswith("title: ⟦透過 ← 通过 · rule 通过 (i18n/rules.yaml:")
    assert "⟦電信業者 ← 运营商 · i18n/glossary/" in first and "⟦儲值 ← 充值 · i18n/glossary/" in first
    assert "資料審核⟦通過 ← 通过 · rule 通过" in result.out
    assert "  审核[通过] → 通過  ×1  (rule 通过 (i18n/rules.yaml:" in result.out


def test_a_broken_rule_and_a_duplicate_entry_are_located_errors(tmp_path: Path) -> None:
    from tests.conftest import copy_project

    root = copy_project(tmp_path)
    (root / "i18n/rules.yaml").write_text(
        "通过:\n  sense: x\n  default: 透過\n  when:\n    - {context: 审核通过, hant: 通過}\n"
        "  tests: []\n充值:\n  sense: y\n  default: 儲值\n  when: []\n"
        "  tests:\n    - {phrase: 充值, sentence: 请充值。, expected: 請儲值。}\n",
        "utf-8",
    )
    result = run_cli("check", "--root", root, "--content", SITE / "content")
    assert result.code == 1
    errors = [line for line in result.lines if ": warning: " not in line]
    assert (
        errors[0].startswith("i18n/glossary/general.tsv:")
        and "'充值' is already defined at rule 充值" in errors[0]
        or any("'充值' is already defined" in e for e in errors)
    ), errors
    assert any(e.startswith("i18n/rules.yaml:1: rule '通过': each 'when' item") for e in errors), errors


def test_a_mainland_term_in_a_zh_hant_page_is_an_error_with_the_form_to_use(site_copy: Path, tmp_path: Path) -> None:
    """On a hand-written page, and on a converted one whose words no glossary entry covers."""
    from tests.conftest import copy_project

    hand = site_copy / "guides/alpha/cancel.zh-Hant.md"
    lines = hand.read_text("utf-8").split("\n")
    hand.write_text("\n".join([*lines[:-1], "請聯繫運營商。", *lines[-1:]]), "utf-8")
    (site_copy / "guides/odd.md").write_text(FRONT + "第一行。\n\n请联系运营商。\n", "utf-8")
    root = copy_project(tmp_path)
    for tsv in (root / "i18n/glossary").glob("*.tsv"):  # 运营商 is left to OpenCC, and there only
        tsv.write_text(
            "".join(line for line in tsv.read_text("utf-8").splitlines(True) if not line.startswith("运营")),
            "utf-8",
        )
    (site_copy / "site.yaml").write_text(
        (site_copy / "site.yaml").read_text("utf-8").replace("运营商", "公司"), "utf-8"
    )
    result = run_cli("build", "--root", root, "--content", site_copy, "--out", tmp_path / "out", "--no-search")
    assert result.code == 1 and not (tmp_path / "out").exists()
    found = sorted(line.split("content/")[1] for line in result.lines if "Taiwan usage" in line and "guides/" in line)
    fix = "(fix the glossary, a rule or the zh-Hant text)"
    assert (
        found
        == [
            f"guides/alpha/cancel.zh-Hant.md:{len(lines)}: zh-Hant text says '運營商', which is not Taiwan usage; it should say '電信業者' {fix}",
            f"guides/buy-sim.md:1: zh-Hant text says '運營商', which is not Taiwan usage; it should say '電信業者' {fix}",  # its summary
            f"guides/odd.md:8: zh-Hant text says '運營商', which is not Taiwan usage; it should say '電信業者' {fix}",
        ]
    ), found


def test_a_hand_written_pages_mainland_term_is_reported_beside_the_guides_other_errors(site_copy: Path) -> None:
    """Every problem in one run: an unknown fact in the same guide does not hide the term."""
    hand = site_copy / "guides/alpha/cancel.zh-Hant.md"
    lines = hand.read_text("utf-8").split("\n")
    hand.write_text("\n".join([*lines[:-1], "請聯繫運營商：{{alpha.nope}}。", *lines[-1:]]), "utf-8")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    found = [line.split(": ", 1)[1] for line in result.lines if "guides/alpha/cancel.zh-Hant.md:" in line]
    assert result.code == 1
    assert [m for m in found if m.startswith("unknown fact 'alpha.nope'")], found
    assert [m for m in found if "'運營商', which is not Taiwan usage" in m], found


def test_hand_written_and_converted_pages_share_one_vocabulary(tmp_path: Path) -> None:
    """The real site's hand-written pages use the converted pages' words (test_real_site checks
    there is no warning); a hand-written page that drifts to another form is named."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    page = content / "guides/nar/top-up.zh-Hant.md"
    page.write_text(page.read_text("utf-8").replace("門號", "號碼").replace("簡訊", "短信"), "utf-8")
    result = run_cli("check", "--root", REPO, "--content", content)
    found = sorted(line.split(": warning: ", 1)[1] for line in result.lines if "vocabulary '" in line)
    assert all(line.startswith(f"{page}:1: warning: ") for line in result.lines if "vocabulary '" in line)
    assert found == [
        "vocabulary 'SMS': this page says '短信' where converted pages say '簡訊'; use one form site-wide (i18n/vocabulary.tsv)",
        "vocabulary 'phone line': this page says '號碼' where converted pages say '門號'; use one form site-wide (i18n/vocabulary.tsv)",
    ]
