"""Worker processes (sitegen.parallel) are an optimisation only: the same site, the same messages,
the same safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, SITE, build, copy_project, tree

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def test_workers_build_the_same_bytes(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert build(REPO / "content", one, "--no-cache", "--jobs", "1").code == 0
    assert build(REPO / "content", two, "--no-cache", "--jobs", "2").code == 0
    assert tree(one) == tree(two)
    assert len(tree(one)) > 50


@pytest.mark.parametrize("case", CASES)
def test_workers_report_the_same_messages(case: str, tmp_path: Path) -> None:
    folder = FIXTURES / "invalid" / case
    result = build(folder / "content", tmp_path / "public", "--no-cache", "--jobs", "2")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.lines == (folder / "expected.txt").read_text("utf-8").splitlines()
    assert not (tmp_path / "public").exists()
    assert [p.name for p in tmp_path.iterdir()] == [], "no staging folder may be left behind"


def _break_guide_template(root: Path, insert: str) -> int:
    """Put insert into guide.html after its first line; returns the line it lands on."""
    path = root / "templates" / "guide.html"
    lines = path.read_text("utf-8").split("\n")
    lines.insert(4, insert)
    path.write_text("\n".join(lines), "utf-8")
    return 5


def test_template_error_in_a_worker_names_the_template_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    line = _break_guide_template(root, "{{ no_such_value.attribute }}")
    out = tmp_path / "public"
    out.mkdir()
    (out / "keep.txt").write_text("old", "utf-8")
    (out / ".sitegen-output").write_text("an earlier build", "utf-8")
    from tests.conftest import run_cli

    result = run_cli(
        "build", "--root", root, "--content", REPO / "content", "--out", out, "--no-search", "--no-cache", "--jobs", "2"
    )
    assert result.code == 1 and "Traceback" not in result.err
    assert any(m.startswith(f"templates/guide.html:{line}: template: ") for m in result.lines), result.lines
    assert tree(out) == {"keep.txt": b"old", ".sitegen-output": b"an earlier build"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "root"]


def test_missing_ui_string_used_only_in_workers_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    _break_guide_template(root, '{{ _("A string no catalog has") }}')
    from tests.conftest import run_cli

    result = run_cli(
        "build",
        "--root",
        root,
        "--content",
        REPO / "content",
        "--out",
        tmp_path / "o",
        "--no-search",
        "--no-cache",
        "--jobs",
        "2",
    )
    assert result.code == 1
    assert (
        "i18n/zh_Hans/LC_MESSAGES/messages.po:1: UI string 'A string no catalog has' has no zh-Hans "
        "translation; run `sitegen i18n update` and translate it" in result.lines
    )


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_killing_the_build_kills_its_workers_and_keeps_the_output(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "keep.txt").write_text("old", "utf-8")
    (out / ".sitegen-output").write_text("an earlier build", "utf-8")
    proc = subprocess.Popen(
        [
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
            "--jobs",
            "2",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.005)
    if not workers:
        proc.wait()
        pytest.skip("the build finished before its workers could be seen")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() and "Z" not in _state(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
    assert tree(out) == {"keep.txt": b"old", ".sitegen-output": b"an earlier build"}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
