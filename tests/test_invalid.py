"""One broken site per error class, each with its exact expected messages (expected.txt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, SITE, build, copy_project, run_cli

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_exact_messages(case: str, tmp_path: Path) -> None:
    folder = FIXTURES / "invalid" / case
    out = tmp_path / "public"
    result = build(folder / "content", out)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.lines == (folder / "expected.txt").read_text("utf-8").splitlines()
    assert not out.exists(), "a failed build must not write output"


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_errors(case: str) -> None:
    folder = FIXTURES / "invalid" / case
    result = run_cli("check", "--root", REPO, "--content", folder / "content")
    assert result.code == 1
    expected = (folder / "expected.txt").read_text("utf-8").splitlines()
    errors = [line for line in result.lines if ": warning: " not in line]
    assert errors == expected


def test_messages_have_path_and_line(tmp_path: Path) -> None:
    for case in CASES:
        for line in (FIXTURES / "invalid" / case / "expected.txt").read_text("utf-8").splitlines():
            path, number, message = line.split(":", 2)
            assert path.startswith("tests/fixtures/invalid/") and number.isdigit() and message.strip()


def test_symlink_leading_out_of_content_is_refused(site_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: x\nsummary: x\nupdated: 2026-01-01\n---\nsecret\n", "utf-8")
    os.symlink(secret, site_copy / "guides" / "leak.md")
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1
    assert any("leak.md:1: symlink leads outside content/" in line for line in result.lines)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", "--bogus").code == 2
    assert run_cli("frobnicate").code == 2
    assert (
        run_cli(
            "build", "--root", REPO, "--content", SITE / "content", "--base-url", "not a url", "--out", tmp_path / "o"
        ).code
        == 2
    )


def test_output_overlapping_sources_is_refused(tmp_path: Path) -> None:
    result = run_cli("build", "--root", REPO, "--content", SITE / "content", "--out", REPO)
    assert result.code == 2 and "overlaps" in result.err
    result = run_cli("build", "--root", REPO, "--content", SITE / "content", "--out", SITE / "content" / "x")
    assert result.code == 2


def test_template_mistakes_are_reported_not_raised(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "templates/topic.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}", "utf-8"
    )
    result = run_cli("build", "--root", root, "--content", SITE / "content", "--out", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err
    errors = [line for line in result.lines if ": warning: " not in line]
    assert errors == ["templates/topic.html:1: template: 'nope' is undefined; fix the template"]
    (root / "templates/topic.html").write_text("{% if %}", "utf-8")
    result = run_cli("build", "--root", root, "--content", SITE / "content", "--out", tmp_path / "out")
    assert result.code == 1 and any(line.startswith("templates/topic.html:1: template:") for line in result.lines)


def test_missing_templates_folder_is_reported(tmp_path: Path) -> None:
    result = run_cli("build", "--root", tmp_path, "--content", SITE / "content", "--out", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err
    assert "templates:1: templates folder not found" in result.err


def test_default_output_inside_the_project_is_allowed(tmp_path: Path) -> None:
    import shutil

    root = copy_project(tmp_path)
    shutil.copytree(SITE / "content", root / "content")
    result = run_cli("build", "--root", root)
    assert result.code == 0, result.err
    assert (root / "public/zh-hans/index.html").is_file()


def test_a_broken_guide_does_not_cascade_into_links_to_it(site_copy: Path, tmp_path: Path) -> None:
    guide = site_copy / "guides/alpha/top-up.md"
    guide.write_text(guide.read_text("utf-8").replace("title: 给 Alpha", "titel: 给 Alpha", 1), "utf-8")
    result = build(site_copy, tmp_path / "out")
    errors = [line.split("content/", 1)[1] for line in result.lines if ": warning: " not in line]
    assert errors == [
        "guides/alpha/top-up.md:1: front matter: missing required key 'title'; add `title: …`",
        "guides/alpha/top-up.md:2: front matter: unknown key 'titel'; did you mean 'title'?",
    ]
