"""Bad input never breaks the build: only a site or clean `path:line` errors, never a traceback,
never a file outside the output folder, never a partial output folder."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, SITE, build, ctrl_c_reaches_children, tree

DIAGNOSTIC = re.compile(r"^[^\n]+:\d+: (warning: )?\S.*$")
GUIDE = "guides/alpha/top-up.md"


def assert_clean_outcome(content: Path, out: Path, before: dict[str, bytes] | None) -> None:
    """Run a build in-process (an exception fails the test) and check what it left behind."""
    outside = sorted(p.name for p in out.parent.iterdir())
    result = build(content, out)
    assert "Traceback" not in result.err
    assert all(DIAGNOSTIC.match(line) for line in result.lines), result.err
    if result.code == 0:
        assert (out / "index.html").is_file() and (out / "zh-hant/index.html").is_file()
    else:
        assert result.code == 1 and any(": warning: " not in line for line in result.lines)
        assert (tree(out) if out.exists() else None) == before, "a failed build changed the output"
    kept = {"public"} if result.code == 0 or before is not None else set()
    assert {p.name for p in out.parent.iterdir()} == set(outside) | kept, "nothing else is left beside the output"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hyp")


def _fresh(sandbox: Path) -> tuple[Path, Path]:
    work = sandbox / f"w{time.monotonic_ns()}"
    shutil.copytree(SITE / "content", work / "content")
    return work / "content", work / "public"


markdown_text = st.text(
    alphabet=st.sampled_from(list("#*_`[]()<>!|-=>:{}&;\\/\n \t.0123456789abcjs充值短信號碼运营商🙂\u200b")),
    max_size=400,
)
yaml_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.lists(st.text(max_size=10), max_size=3),
)
front_matter = st.dictionaries(
    st.sampled_from(["title", "summary", "updated", "sources", "draft", "order", "titel", "translated_from", "x"]),
    yaml_scalars,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=front_matter, body=markdown_text)
def test_random_front_matter_and_markdown(sandbox: Path, meta: dict, body: str) -> None:
    import yaml

    content, out = _fresh(sandbox)
    (content / GUIDE).write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, "utf-8")
    assert_clean_outcome(content, out, None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=300),
    where=st.sampled_from([GUIDE, "site.yaml", "topics.yaml", "operators/alpha.yaml", "facts.yaml"]),
)
def test_random_bytes_in_any_source(sandbox: Path, data: bytes, where: str) -> None:
    content, out = _fresh(sandbox)
    (content / where).write_bytes(data)
    assert_clean_outcome(content, out, None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=markdown_text)
def test_failed_builds_keep_the_previous_output(sandbox: Path, body: str) -> None:
    content, out = _fresh(sandbox)
    assert build(content, out).code == 0
    before = tree(out)
    (content / GUIDE).write_text("---\ntitle: [\n---\n" + body, "utf-8")
    assert_clean_outcome(content, out, before)


HOSTILE_BODIES = {
    "nested-lists": "".join("  " * i + "- x\n" for i in range(2000)),
    "nested-quotes": ">" * 5000 + " deep\n",
    "nested-brackets": "[" * 50000 + "x" + "]" * 50000,
    "five-megabytes": ("## 标题\n\n" + "充值短信运营商。" * 200 + "\n\n") * 1300,
    "million-char-line": "充" * 1_000_000 + "\n",
    "schemes": "\n".join(
        f"[x]({u})"
        for u in [
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java&#115;cript:x",
            "jav&#x09;ascript:x",
            "java\tscript:x",
            "VBScript:x",
            "data:text/html,<script>x</script>",
            "&#106;avascript:x",
            "javascript&colon;x",
        ]
    ),
    "events": '<a href="#" onclick="x">a</a><img src=x onerror=alert(1)><svg onload=alert(1)>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_hostile_bodies(tmp_path: Path, name: str) -> None:
    shutil.copytree(SITE / "content", tmp_path / "content")
    guide = tmp_path / "content/guides/hostile.md"
    guide.write_text("---\ntitle: 测试\nsummary: 测试。\nupdated: 2026-11-01\n---\n" + HOSTILE_BODIES[name], "utf-8")
    out = tmp_path / "public"
    assert_clean_outcome(tmp_path / "content", out, None)
    page = out / "zh-hans/hostile/index.html"
    if page.exists():
        text = page.read_text("utf-8").lower()
        assert not re.search(r'(href|src)="\s*(javascript|vbscript|data):', text)
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", text)


@pytest.mark.parametrize(
    "name, data",
    [
        ("nul-bytes", b"---\ntitle: a\x00b\nsummary: s\nupdated: 2026-01-01\n---\nx\x00y\n"),
        ("invalid-utf8", b"---\ntitle: \xc3\x28\nsummary: s\nupdated: 2026-01-01\n---\n"),
        (
            "billion-laughs",
            (
                '---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                + "".join(
                    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
                    for i in range(8)
                )
                + "title: x\nsummary: s\nupdated: 2026-01-01\n---\n"
            ).encode(),
        ),
        ("huge-anchor", ("---\ntitle: &t " + "x" * 100000 + "\nsummary: *t\nupdated: 2026-01-01\n---\n").encode()),
        (
            "object-tag",
            b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\nsummary: s\nupdated: 2026-01-01\n---\n",
        ),
        (
            "deep-yaml",
            ("---\ntitle: " + "[" * 10000 + "]" * 10000 + "\nsummary: s\nupdated: 2026-01-01\n---\n").encode(),
        ),
    ],
)
def test_hostile_files(tmp_path: Path, name: str, data: bytes) -> None:
    shutil.copytree(SITE / "content", tmp_path / "content")
    (tmp_path / "content/guides/bad.md").write_bytes(data)
    out = tmp_path / "public"
    result = build(tmp_path / "content", out)
    assert result.code == 1 and "Traceback" not in result.err and not out.exists()
    assert any("guides/bad.md:" in line for line in result.lines), result.err
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize("name", ["has space.md", "ünïcode.md", "a..b.md", "..md", "UPPER.md", "点.md"])
def test_odd_file_names_are_refused_with_a_rename_hint(tmp_path: Path, name: str) -> None:
    shutil.copytree(SITE / "content", tmp_path / "content")
    (tmp_path / "content/guides" / name).write_text("---\ntitle: x\nsummary: s\nupdated: 2026-01-01\n---\n", "utf-8")
    result = build(tmp_path / "content", tmp_path / "public")
    assert result.code == 1 and not (tmp_path / "public").exists()
    assert [line for line in result.lines if ": warning: " not in line] == [
        line for line in result.lines if f"guides/{name}:1: file names become URLs" in line
    ]


def test_symlink_loops_and_links_out_are_refused(tmp_path: Path) -> None:
    shutil.copytree(SITE / "content", tmp_path / "content")
    guides = tmp_path / "content/guides"
    os.symlink(guides, guides / "loop")
    os.symlink("/etc/passwd", guides / "passwd.md")
    os.symlink(guides / "missing.md", guides / "dangling.md")
    result = build(tmp_path / "content", tmp_path / "public")
    assert result.code == 1 and "Traceback" not in result.err
    errors = sorted(line.split("content/", 1)[1] for line in result.lines if ": warning: " not in line)
    assert errors == [
        "guides/dangling.md:1: symlink leads outside content/ (or nowhere); copy the file in instead",
        "guides/loop:1: symlinked folders are not allowed in content/; move the files in",
        "guides/passwd.md:1: symlink leads outside content/ (or nowhere); copy the file in instead",
    ]


def test_reproducible_across_folders_and_times(tmp_path: Path) -> None:
    for name in ("a", "b"):
        shutil.copytree(SITE / "content", tmp_path / name / "content")
    assert build(tmp_path / "a/content", tmp_path / "a/public").code == 0
    time.sleep(1.1)
    env = os.environ.copy()
    env["TZ"] = "Asia/Baku"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen.cli",
            "build",
            "--root",
            str(REPO),
            "--content",
            str(tmp_path / "b/content"),
            "--out",
            str(tmp_path / "b/public"),
            "--no-search",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert tree(tmp_path / "a/public") == tree(tmp_path / "b/public")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_builds_leave_the_previous_output(tmp_path: Path, sig: int) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import write_corpus

    site, _ = write_corpus(tmp_path / "corpus", 300)
    out = tmp_path / "public"
    cmd = [
        sys.executable,
        "-m",
        "sitegen.cli",
        "build",
        "--root",
        str(REPO),
        "--content",
        str(site / "content"),
        "--out",
        str(out),
        "--no-search",
    ]
    assert subprocess.run(cmd, capture_output=True, cwd=REPO, check=False).returncode == 0
    before = tree(out)
    guide = site / "content/guides/guide-00000.md"
    guide.write_text(guide.read_text("utf-8").replace("## 第1部分", "## 改过的部分"), "utf-8")
    for delay in (0.05, 0.3, 0.8, 1.5, 2.5):
        with ctrl_c_reaches_children():
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        time.sleep(delay)
        proc.send_signal(sig)
        proc.wait(timeout=60)
        after = tree(out)
        assert delay > 0.05 or after == before, "a build signalled as it starts must stop before its output"
        if after != before:  # the build finished before the signal: the output is the new site, whole
            assert sorted(after) == sorted(before) and "改过的部分" in after["zh-hans/guide-00000/index.html"].decode()
            before = after
    assert subprocess.run(cmd, capture_output=True, cwd=REPO, check=False).returncode == 0
    assert not list(tmp_path.glob(".public.*")), "leftover temporary folders are cleaned up"
