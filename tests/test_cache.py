"""The build cache is an optimisation only: whatever it holds, a build gives the clean build's bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SITE, tree


def sitegen(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen.cli", "build", "--root", str(root), "--no-search",
                           *args], capture_output=True, text=True, cwd=REPO, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "i18n", root / "i18n")
    shutil.copytree(SITE / "content", root / "content")
    return root


def clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    proc = sitegen(root, "--no-cache", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return tree(out)


def test_no_change_rebuild_is_skipped_and_exact(project: Path, tmp_path: Path) -> None:
    first = sitegen(project)
    assert first.returncode == 0 and "built" in first.stdout
    second = sitegen(project)
    assert second.returncode == 0 and "is up to date" in second.stdout
    assert second.stderr == first.stderr  # the same warnings are shown again
    assert tree(project / "public") == clean_build(project, tmp_path)


@pytest.mark.parametrize("edit", ["content", "template", "catalog", "same-size-same-mtime", "output", "options"])
def test_any_change_rebuilds_to_the_clean_result(project: Path, tmp_path: Path, edit: str) -> None:
    assert sitegen(project).returncode == 0
    guide = project / "content/guides/alpha/top-up.md"
    extra: tuple[str, ...] = ()
    if edit == "content":
        guide.write_text(guide.read_text("utf-8").replace("先查余额", "先查询余额"), "utf-8")
    elif edit == "template":
        home = project / "templates/home.html"
        home.write_text(home.read_text("utf-8") + "\n", "utf-8")
    elif edit == "catalog":
        po = project / "i18n/zh_Hant/LC_MESSAGES/messages.po"
        po.write_text(po.read_text("utf-8").replace('msgstr "目錄"', 'msgstr "內容"'), "utf-8")
    elif edit == "same-size-same-mtime":
        st = guide.stat()
        guide.write_text(guide.read_text("utf-8").replace("先查余额", "再查余额"), "utf-8")  # same length
        os.utime(guide, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert guide.stat().st_size == st.st_size and guide.stat().st_mtime_ns == st.st_mtime_ns
    elif edit == "output":
        (project / "public/robots.txt").write_text("tampered", "utf-8")
    elif edit == "options":
        extra = ("--base-url", "https://other.example/sub/")
    proc = sitegen(project, *extra)
    assert proc.returncode == 0 and "built" in proc.stdout, proc.stdout
    expected_root = project
    assert tree(project / "public") == tree_of_clean(expected_root, tmp_path, extra)


def tree_of_clean(root: Path, tmp_path: Path, extra: tuple[str, ...]) -> dict[str, bytes]:
    out = tmp_path / "clean"
    proc = sitegen(root, "--no-cache", "--out", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    return tree(out)


def test_deleting_or_corrupting_the_cache_changes_nothing(project: Path, tmp_path: Path) -> None:
    assert sitegen(project).returncode == 0
    before = tree(project / "public")
    state = project / ".sitegen-cache/state.json"
    data = json.loads(state.read_text("utf-8"))
    for entry in data["inputs"].values():
        entry[4] = "0" * 32  # every remembered hash is wrong
    state.write_text(json.dumps(data), "utf-8")
    assert "built" in sitegen(project).stdout  # wrong hashes mean a different key: a full build
    assert tree(project / "public") == before
    state.write_text("{not json", "utf-8")
    assert sitegen(project).returncode == 0 and tree(project / "public") == before
    shutil.rmtree(project / ".sitegen-cache")
    assert sitegen(project).returncode == 0 and tree(project / "public") == before


def test_a_failed_build_leaves_no_claim_of_freshness(project: Path) -> None:
    assert sitegen(project).returncode == 0
    guide = project / "content/guides/buy-sim.md"
    good = guide.read_text("utf-8")
    guide.write_text(good.replace("title:", "titel:"), "utf-8")
    assert sitegen(project).returncode == 1
    guide.write_text(good, "utf-8")
    again = sitegen(project)
    assert again.returncode == 0
