"""The output folder through the real CLI: sitegen never empties a folder it did not make,
never leaves a partial site, and one build at a time writes an output."""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SITE, tree

MARKER = ".sitegen-output"


def sitegen(*args: str | Path, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a child process, as a user runs it."""

    def limit() -> None:  # a full disk: writes past the limit fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=300,
        preexec_fn=limit if limit_bytes is not None else None,
    )


def build(out: Path, *extra: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    return sitegen(
        "build",
        "--root",
        REPO,
        "--content",
        SITE / "content",
        "--out",
        out,
        "--no-search",
        "--no-cache",
        *extra,
        limit_bytes=limit_bytes,
    )


def one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and all(w in lines[0] for w in words), proc.stderr


def user_folder(path: Path) -> dict[str, bytes]:
    (path / "notes").mkdir(parents=True)
    (path / "notes" / "diary.txt").write_text("mine", "utf-8")
    (path / ".bashrc").write_text("export X=1\n", "utf-8")
    return tree(path)


@pytest.mark.parametrize("name", ["home", ".git", "sitegen"])
def test_a_folder_of_the_users_files_is_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    before = user_folder(folder)
    one_line_error(build(folder), "did not make", MARKER)
    assert tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no lock, no staging left


def test_system_folders_are_refused_before_anything_is_written() -> None:
    for folder in ("/root", "/etc", "/usr"):
        one_line_error(build(Path(folder)), "did not make")
        assert not Path(f"/.{Path(folder).name}.lock").exists()


def test_the_project_and_its_folders_are_refused(tmp_path: Path) -> None:
    one_line_error(sitegen("build", "--root", REPO, "--out", REPO / "sitegen", "--no-search"), "did not make")
    git = REPO / ".git"  # a folder, or a file in a git worktree
    one_line_error(
        sitegen("build", "--root", REPO, "--out", git, "--no-search"), "did not make" if git.is_dir() else "is a file"
    )
    one_line_error(sitegen("build", "--root", REPO, "--out", REPO, "--no-search"), "overlaps")


def test_an_empty_folder_and_an_earlier_build_are_accepted(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert build(out).returncode == 0
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    first = tree(out)
    assert build(out).returncode == 0, "a folder an earlier build made is replaced"
    assert tree(out) == first


def test_a_regular_file_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_text("precious", "utf-8")
    one_line_error(build(target), "is a file")
    assert target.read_text("utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_a_symlinked_output_builds_into_its_target_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "real"
    link = tmp_path / "public"
    link.symlink_to(target)
    for _ in range(2):
        proc = build(link)
        assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and (target / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "real"]


def test_a_second_build_while_one_holds_the_lock_fails_clearly(tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(out).returncode == 0
    before = tree(out)
    fd = os.open(tmp_path / ".public.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        one_line_error(build(out), "another sitegen build is writing", "wait")
    finally:
        os.close(fd)
    assert tree(out) == before
    assert build(out).returncode == 0, "the lock is free again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"], "the lock file goes with the build"


def test_two_builds_at_once_never_publish_a_partial_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    cmd = [
        sys.executable,
        "-m",
        "sitegen.cli",
        "build",
        "--root",
        str(REPO),
        "--content",
        str(SITE / "content"),
        "--out",
        str(out),
        "--no-search",
        "--no-cache",
    ]
    for _ in range(3):
        procs = [
            subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
        ]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
        assert all(code == 0 or (code == 2 and "another sitegen build" in err) for code, err in results), results
        assert any(code == 0 for code, _ in results)
        files = tree(out)
        for name in ("index.html", "sitemap.xml", "static/site.js", "zh-hans/index.html", "zh-hant/index.html"):
            assert name in files, name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_full_disk_is_one_line_and_keeps_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(out).returncode == 0
    before = tree(out)
    one_line_error(build(out, limit_bytes=4096), "cannot write the output", "unchanged")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_an_output_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", "utf-8")
    one_line_error(build(tmp_path / "file" / "public"), "cannot write")


def test_a_build_killed_in_the_search_stage_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "public"
    cmd = [
        sys.executable,
        "-m",
        "sitegen.cli",
        "build",
        "--root",
        str(REPO),
        "--content",
        str(SITE / "content"),
        "--out",
        str(out),
        "--no-cache",
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".public.new-*/.scratch-*/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(tmp_path.glob(".public.new-*/.scratch-*")), "the search stage was reached"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert list(tmp_path.glob(".public.new-*")), "the killed build left its staging folder"
    assert build(out).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_leftovers_without_the_marker_are_not_removed(tmp_path: Path) -> None:
    mine = tmp_path / ".public.new-mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("x", "utf-8")
    assert build(tmp_path / "public").returncode == 0
    assert (mine / "keep.txt").read_text("utf-8") == "x"
    shutil.rmtree(mine)


def test_an_empty_leftover_is_removed(tmp_path: Path) -> None:
    """A build killed between making its staging folder and marking it leaves an empty folder."""
    (tmp_path / ".public.new-killed").mkdir()
    assert build(tmp_path / "public").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_removal_cut_short_leaves_a_folder_the_next_build_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CI saw a kill during the clean-up after a swap leave a staging folder behind for
    good: rmtree had taken the marker first. Cut the removal short after every number of
    files: what is left is gone, empty, or still marked, and the next build removes it."""
    from sitegen.output.write import is_ours, remove_ours

    unlink = os.unlink
    for allowed in range(8):
        old = tmp_path / f".public.old-{allowed}"
        for rel in ["a.html", "b/index.html", "b/c.css", "d/e/f.js", "g.txt", MARKER]:
            (old / rel).parent.mkdir(parents=True, exist_ok=True)
            (old / rel).write_text(rel, "utf-8")
        calls: list[object] = []

        def killed(
            path: object, *args: object, calls: list[object] = calls, allowed: int = allowed, **kwargs: object
        ) -> None:
            calls.append(path)
            if len(calls) > allowed:
                raise OSError("killed")
            unlink(path, *args, **kwargs)

        monkeypatch.setattr(os, "unlink", killed)
        remove_ours(old)
        monkeypatch.undo()
        assert not old.exists() or is_ours(old) or not any(old.iterdir()), f"cut after {allowed} files"
    assert build(tmp_path / "public").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("name", ["**", "a[b]", "x?"])
def test_output_names_that_look_like_glob_patterns(tmp_path: Path, name: str) -> None:
    """Leftovers are found by name, never by glob: '**' made pathlib raise, 'a[b]' would match
    another output's leftovers."""
    theirs, ours = tmp_path / ".ab.new-1", tmp_path / f".{name}.new-1"
    for leftover in (theirs, ours):
        leftover.mkdir()
        (leftover / MARKER).write_text("", "utf-8")
    for _ in range(2):
        proc = build(tmp_path / name)
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / name / "index.html").is_file()
    assert theirs.is_dir() and not ours.exists()  # another output's leftover is not this one's
