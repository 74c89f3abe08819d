"""sitegen check: translation states, stale hand-written pages, review, UI catalog problems."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, SITE, build, copy_project, run_cli

HANT = "guides/alpha/cancel.zh-Hant.md"


def test_check_lists_converted_and_hand_written_pages() -> None:
    result = run_cli("check", "--root", REPO, "--content", SITE / "content")
    assert result.code == 0
    states = {line.split()[1]: line.split()[0] for line in result.out.splitlines()[:-1]}
    assert states == {
        "alpha/cancel": "hand-written",
        "alpha/top-up": "converted",
        "beta/top-up": "converted",
        "buy-sim": "converted",
        "draft-note": "converted",
    }
    assert result.out.splitlines()[-1].startswith("zh-Hant: 4 converted, 1 hand-written, 0 stale")


def test_check_writes_nothing(site_copy: Path) -> None:
    before = sorted(p.as_posix() for p in site_copy.parent.rglob("*"))
    run_cli("check", "--root", REPO, "--content", site_copy)
    assert sorted(p.as_posix() for p in site_copy.parent.rglob("*")) == before


def test_source_change_makes_translation_stale_and_review_fixes_it(site_copy: Path) -> None:
    source = site_copy / "guides/alpha/cancel.md"
    source.write_text(source.read_text("utf-8") + "\n新增一段。\n", "utf-8")
    result = run_cli("check", "--root", REPO, "--content", site_copy, "--strict")
    assert result.code == 1
    stale = [line for line in result.lines if "stale" in line]
    assert len(stale) == 1 and stale[0].split(":")[0].endswith(HANT)
    assert "was written for an older version of" in stale[0]
    assert any(line.startswith("stale") and line.endswith(HANT) for line in result.out.splitlines())
    assert run_cli("review", site_copy / HANT).code == 0
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert not any("stale" in line for line in result.lines)


def test_review_refuses_a_file_that_is_not_a_translation(site_copy: Path) -> None:
    result = run_cli("review", site_copy / "guides/alpha/cancel.md")
    assert result.code == 2 and "not a hand-written zh-Hant file" in result.err


def test_strict_turns_warnings_into_errors() -> None:
    relaxed = run_cli("check", "--root", REPO, "--content", SITE / "content")
    strict = run_cli("check", "--root", REPO, "--content", SITE / "content", "--strict")
    assert relaxed.code == 0 and strict.code == 1 and relaxed.lines == strict.lines


def test_untranslated_and_fuzzy_ui_strings_are_errors(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    po = root / "i18n/zh_Hant/LC_MESSAGES/messages.po"
    text = po.read_text("utf-8")
    text = text.replace('msgid "Contents"\nmsgstr "目錄"', 'msgid "Contents"\nmsgstr ""')
    text = text.replace('msgid "Guides"\n', '#, fuzzy\nmsgid "Guides"\n')
    po.write_text(text, "utf-8")
    result = run_cli("check", "--root", root, "--content", SITE / "content")
    assert result.code == 1
    errors = [line for line in result.lines if "UI string" in line]
    assert len(errors) == 2
    assert any("'Contents' is not translated" in e for e in errors)
    assert any("'Guides' is marked fuzzy" in e for e in errors)
    assert all(e.startswith("i18n/zh_Hant/LC_MESSAGES/messages.po:") for e in errors)


def test_ui_string_missing_from_catalog_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    home = root / "templates/home.html"
    home.write_text(
        home.read_text("utf-8").replace("{% block main %}", '{% block main %}{{ _("Brand new string") }}'), "utf-8"
    )
    result = build(SITE / "content", tmp_path / "out", "--root", root)
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert (
        "i18n/zh_Hans/LC_MESSAGES/messages.po:1: UI string 'Brand new string' has no zh-Hans translation" in result.err
    )


def test_i18n_extract_and_update_keep_catalogs_in_step(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    shutil.copytree(REPO / "sitegen", root / "sitegen")
    before = (root / "i18n/zh_Hans/LC_MESSAGES/messages.po").read_text("utf-8")
    assert run_cli("i18n", "update", "--root", root).code == 0
    assert (root / "i18n/zh_Hans/LC_MESSAGES/messages.po").read_text("utf-8") == before
