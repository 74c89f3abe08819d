"""The build cache is an optimisation only: whatever it holds, a build gives the clean build's bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SITE, run_cli, tree


def sitegen(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", "build", "--root", str(root), "--no-search", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "i18n", root / "i18n")
    shutil.copytree(SITE / "content", root / "content")
    return root


def state_file(root: Path) -> Path:
    return root / ".sitegen-cache" / "state.json"


def read_state(root: Path) -> dict:
    return json.loads(state_file(root).read_text("utf-8"))


def write_state(root: Path, state: dict) -> None:
    state_file(root).write_text(json.dumps(state), "utf-8")


def tree_of_clean(root: Path, tmp_path: Path, *extra: str) -> dict[str, bytes]:
    out = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    proc = sitegen(root, "--no-cache", "--out", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    return tree(out)


def rebuilds_to_clean(root: Path, tmp_path: Path, *extra: str) -> None:
    proc = sitegen(root, *extra)
    assert proc.returncode == 0 and "built" in proc.stdout, proc.stdout + proc.stderr
    assert tree(root / "public") == tree_of_clean(root, tmp_path, *extra)


def test_no_change_rebuild_is_skipped_and_exact(project: Path, tmp_path: Path) -> None:
    first = sitegen(project)
    assert first.returncode == 0 and "built" in first.stdout
    for _ in range(2):  # the second check runs on the state the first one may have re-recorded
        again = sitegen(project)
        assert again.returncode == 0 and "is up to date" in again.stdout
        assert again.stderr == first.stderr  # the same warnings are shown again
    assert tree(project / "public") == tree_of_clean(project, tmp_path)


def edit_input(project: Path, edit: str) -> tuple[str, ...]:
    """Change one input the way `edit` names; the build options that go with it."""
    guide = project / "content/guides/alpha/top-up.md"
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
    elif edit == "guide-renamed":
        (project / "content/guides/buy-sim.md").rename(project / "content/guides/get-sim.md")
        guide.write_text(guide.read_text("utf-8").replace("../buy-sim.md", "../get-sim.md"), "utf-8")
    elif edit == "guide-added":
        shutil.copy(project / "content/guides/buy-sim.md", project / "content/guides/keep-sim.md")
    elif edit == "options":
        return ("--base-url", "https://other.example/sub/")
    return ()


@pytest.mark.parametrize(
    "edit", ["content", "template", "catalog", "same-size-same-mtime", "guide-renamed", "guide-added", "options"]
)
def test_any_input_change_rebuilds_to_the_clean_result(project: Path, tmp_path: Path, edit: str) -> None:
    assert sitegen(project).returncode == 0
    rebuilds_to_clean(project, tmp_path, *edit_input(project, edit))


def edit_output(public: Path, edit: str) -> None:
    """Change the built output the way `edit` names."""
    page = public / "zh-hans/index.html"
    if edit == "edited":
        (public / "robots.txt").write_text("tampered", "utf-8")
    elif edit == "edited-same-size-same-mtime":
        st = page.stat()
        data = page.read_bytes()
        page.write_bytes(data[:-1] + (b"\n" if data[-1:] != b"\n" else b" "))
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert page.stat().st_size == st.st_size and page.stat().st_mtime_ns == st.st_mtime_ns
    elif edit == "file-added":
        (public / "zh-hans/extra.html").write_text("extra", "utf-8")
    elif edit == "folder-added":
        (public / "zh-hans/extra").mkdir()
    elif edit == "file-removed":
        (public / "robots.txt").unlink()
    elif edit == "folder-removed":
        shutil.rmtree(public / "static")
    elif edit == "replaced":  # a whole other tree in its place, as `mv` or a deploy tool leaves it
        shutil.copytree(public, public.with_name("copy"))
        shutil.rmtree(public)
        public.with_name("copy").rename(public)


@pytest.mark.parametrize(
    "edit",
    [
        "edited",
        "edited-same-size-same-mtime",
        "file-added",
        "folder-added",
        "file-removed",
        "folder-removed",
        "replaced",
    ],
)
def test_any_output_change_rebuilds_to_the_clean_result(project: Path, tmp_path: Path, edit: str) -> None:
    assert sitegen(project).returncode == 0
    edit_output(project / "public", edit)
    rebuilds_to_clean(project, tmp_path)


def test_a_touched_but_unchanged_input_is_still_up_to_date(project: Path, tmp_path: Path) -> None:
    assert sitegen(project).returncode == 0
    os.utime(project / "content/guides/alpha/top-up.md")  # new mtime and ctime, same bytes
    assert "is up to date" in sitegen(project).stdout
    assert tree(project / "public") == tree_of_clean(project, tmp_path)


def test_deleting_or_corrupting_the_cache_changes_nothing(project: Path, tmp_path: Path) -> None:
    assert sitegen(project).returncode == 0
    before = tree(project / "public")
    state = read_state(project)
    write_state(project, {**state, "digest": "0" * 32})  # every remembered input is wrong
    assert "built" in sitegen(project).stdout
    assert tree(project / "public") == before
    state = read_state(project)
    write_state(project, {**state, "stats": state["stats"][::-1]})  # the outputs' record is wrong
    assert "built" in sitegen(project).stdout
    assert tree(project / "public") == before
    state_file(project).write_bytes(b"{not json")
    assert sitegen(project).returncode == 0 and tree(project / "public") == before
    inputs = project / ".sitegen-cache/inputs.json"  # each input's stat and hash: wrong hashes, then garbage
    known = json.loads(inputs.read_text("utf-8"))
    inputs.write_text(json.dumps({path: [*entry[:4], "0" * 32] for path, entry in known.items()}), "utf-8")
    assert "built" in sitegen(project).stdout and tree(project / "public") == before
    inputs.write_bytes(b"[1, 2")
    assert sitegen(project).returncode == 0 and tree(project / "public") == before
    shutil.rmtree(project / ".sitegen-cache")
    assert sitegen(project).returncode == 0 and tree(project / "public") == before


def test_a_stale_cache_never_changes_the_output(project: Path, tmp_path: Path) -> None:
    """A record that claims freshness for other inputs is not believed: the inputs are hashed."""
    assert sitegen(project).returncode == 0
    state = read_state(project)
    edit_input(project, "content")
    write_state(project, state)  # the cache as the previous inputs left it
    rebuilds_to_clean(project, tmp_path)


def test_a_failed_build_leaves_no_claim_of_freshness(project: Path) -> None:
    assert sitegen(project).returncode == 0
    guide = project / "content/guides/buy-sim.md"
    good = guide.read_text("utf-8")
    guide.write_text(good.replace("title:", "titel:"), "utf-8")
    assert sitegen(project).returncode == 1
    assert not state_file(project).exists()
    guide.write_text(good, "utf-8")
    again = sitegen(project)
    assert again.returncode == 0


@pytest.mark.parametrize("written", ["pagefind/*.pf_meta", "sw.js"])
def test_an_edited_file_written_after_the_pages_is_rebuilt(project: Path, written: str) -> None:
    """The search index and the service worker are written after the pages; their files are recorded like theirs."""
    args = ("build", "--root", str(project))
    assert "built" in run_cli(*args).out
    assert "is up to date" in run_cli(*args).out
    file = min((project / "public").glob(written))
    file.write_bytes(file.read_bytes()[:-1] + b"\0")
    assert "built" in run_cli(*args).out


def test_a_skipped_build_shows_its_warnings_as_the_build_did(project: Path) -> None:
    """25 warnings of one kind: 20 and a count, the same when the build is skipped; --all lists all."""
    codes = "\n".join(f"- 拨打 *{100 + n}# 查询。" for n in range(25))
    front = "---\ntitle: 代码\nsummary: 很多代码。\nupdated: 2026-11-01\n---\n"
    (project / "content/guides/many-codes.md").write_text(front + codes + "\n", "utf-8")
    first = sitegen(project)
    assert first.returncode == 0 and "... and 6 more 'typed-fact' warnings (26 in all)" in first.stderr  # 1 was there
    again = sitegen(project)
    assert "is up to date" in again.stdout and again.stderr == first.stderr
    everything = sitegen(project, "--all")
    assert everything.stderr.count("is typed into the text") == first.stderr.count("is typed into the text") + 6
