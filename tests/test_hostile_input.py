"""Hardening, round two: links read as a browser reads them, files that are not what they seem,
values Python cannot hold, hidden characters, and patterns that must stay linear on 1 MB of text.
Each case ends in located errors (or a clean build), never a traceback, a hang or a stray write."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, SITE, build, copy_project, run_cli, tree

FRONT = "---\ntitle: 测试\nsummary: 测试。\nupdated: 2026-11-01\n---\n"


def errors(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.err
    return [line for line in result.lines if ": warning: " not in line]


def guide(site: Path, body: str, name: str = "t.md") -> Path:
    path = site / "guides" / name
    path.write_text(FRONT + body, "utf-8")
    return path


@pytest.mark.parametrize(
    "body",
    [
        "[a](http:evil.example/x)\n",
        "[a](http:/evil.example/x)\n",
        "[a](https:evil.example)\n",
        "[a][r]\n\n[r]: http:evil.example/x\n",
        "<http:evil.example/x>\n",
        "[a](HTTPS:evil.example)\n",
        "![a](http:evil.example/x.png)\n",
    ],
)
def test_a_scheme_without_slashes_is_an_error(site_copy: Path, tmp_path: Path, body: str) -> None:
    guide(site_copy, body)
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    found = errors(result)
    assert len(found) == 1 and found[0].split("t.md:")[1].startswith("6: link '"), found
    assert "has a scheme but no '//', which browsers read as another site" in found[0]


@pytest.mark.parametrize(
    "url, host",
    [
        ("//evil.example/x", "evil.example"),
        ("https://www.alpha.example@evil.example/", "evil.example"),
        ("HTTPS://EVIL.EXAMPLE/", "evil.example"),
    ],
)
def test_links_that_a_browser_sends_elsewhere_meet_the_host_rule(site_copy: Path, url: str, host: str) -> None:
    guide(site_copy, f"[a]({url})\n")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert [e.split("t.md:")[1] for e in errors(result)] == [
        f"6: external link to '{host}' is not on the allow-list; link only to official sites, or add the host to "
        "external_hosts in site.yaml if it is official"
    ]


def test_link_errors_name_the_line_of_the_url(site_copy: Path) -> None:
    guide(site_copy, "第一行。\n[链接\n文字](missing.md)\n\n段落 [a](\nmissing2.md)\n")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert [e.split("t.md:")[1].split(":")[0] for e in errors(result)] == ["8", "11"]


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("where", ["guides/x.md", "operators/x.yaml", "facts.yaml", "topics.yaml"])
def test_a_fifo_is_refused_and_nothing_hangs(site_copy: Path, tmp_path: Path, where: str) -> None:
    path = site_copy / where
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    with deadline(60):
        for command in ("build", "check"):
            extra = ("--out", tmp_path / "out", "--no-search") if command == "build" else ()
            result = run_cli(command, "--root", REPO, "--content", site_copy, *extra)
            assert result.code == 1
            assert f"{where}:1: not a regular file; replace it with a plain one" in "\n".join(errors(result))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["facts.yaml", "topics.yaml", "guides", "operators"])
def test_symlinks_out_of_content_are_refused(site_copy: Path, tmp_path: Path, where: str) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(site_copy / where, outside) if (site_copy / where).is_dir() else shutil.copy(
        site_copy / where, outside
    )
    (shutil.rmtree if (site_copy / where).is_dir() else os.unlink)(site_copy / where)
    (site_copy / where).symlink_to(outside)
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert result.code == 1
    assert f"content/{where}:1: symlink leads outside content/ (or nowhere); copy the file in instead" in "\n".join(
        e.split("test_symlinks_out_of_content")[-1].split("/", 1)[-1] for e in errors(result)
    )


def test_topics_pointing_at_etc_passwd_is_not_read(site_copy: Path) -> None:
    (site_copy / "topics.yaml").unlink()
    (site_copy / "topics.yaml").symlink_to("/etc/passwd")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert result.code == 1 and "root:" not in result.err and "symlink leads outside content/" in result.err


def test_a_glossary_outside_the_project_is_refused(site_copy: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (tmp_path / "elsewhere.tsv").write_text("充值\t儲值\n", "utf-8")
    site = site_copy / "site.yaml"
    site.write_text(site.read_text("utf-8") + "conversion:\n  glossary: ../elsewhere.tsv\n", "utf-8")
    result = run_cli("check", "--root", root, "--content", site_copy)
    assert result.code == 1
    assert any("conversion files must be inside the project folder" in e for e in errors(result))


def test_a_glossary_that_is_not_utf8_is_a_located_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "i18n/glossary/general.tsv").write_bytes("充值\t儲值\n".encode("gb18030") + b"\xff\xfe\n")
    result = run_cli("check", "--root", root, "--content", SITE / "content")
    assert result.code == 1
    assert errors(result) == ["i18n/glossary/general.tsv:1: cannot read it (invalid start byte); save it as UTF-8 text"]


@pytest.mark.parametrize("name", ["evil\n.md", "a\tb.md", "x\r.md"])
def test_file_names_with_control_characters_are_refused(site_copy: Path, tmp_path: Path, name: str) -> None:
    guide(site_copy, "正文。\n", name)
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert any("file names become URLs" in e for e in errors(result)), result.err


@pytest.mark.parametrize("names", [["x\n"], ["alpha", "top-up\n"], ["evil\n.md"], ["../x"]])
def test_new_refuses_names_that_are_not_url_segments(site_copy: Path, names: list[str]) -> None:
    before = tree(site_copy)
    result = run_cli("new", *names, "--root", REPO, "--content", site_copy)
    assert result.code == 2 and "becomes part of a URL" in result.err and tree(site_copy) == before


@pytest.mark.parametrize(
    "front, message",
    [
        ("order: " + "9" * 5000, "number '99999999999999999999'… cannot be read"),
        ("updated: 2026-13-45", "invalid date '2026-13-45'"),
        ('title: "a\\u0007b"', "invisible or private-use character U+0007"),
        ('title: "a\\u202Eb"', "invisible or private-use character U+202E"),
    ],
)
def test_front_matter_values_python_cannot_hold_are_located(site_copy: Path, front: str, message: str) -> None:
    path = site_copy / "guides/buy-sim.md"
    text = path.read_text("utf-8")
    key = front.split(":")[0]
    lines = [line for line in text.split("\n") if not line.startswith(f"{key}:")]
    path.write_text("\n".join([lines[0], front, *lines[1:]]), "utf-8")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert result.code == 1
    assert any(
        e.startswith("content/guides/buy-sim.md:2: ") and message in e
        for e in (x.split("test_front_matter_values_py")[-1].split("/", 1)[-1] for x in errors(result))
    ), result.err


@pytest.mark.parametrize(
    "value, unit",
    [('"2026-13-45"', ""), ('"nan"', "AZN"), ('"1e999"', "AZN"), ('"inf"', "days"), ("1e999", "AZN"), ('"-5"', "AZN")],
)
def test_fact_values_that_are_not_what_they_claim_are_located(site_copy: Path, value: str, unit: str) -> None:
    facts = site_copy / "facts.yaml"
    extra = f"  odd:\n    value: {value}\n    source: https://www.e-gov.az/\n    checked: 2026-01-01\n"
    facts.write_text(facts.read_text("utf-8") + extra + (f"    unit: {unit}\n" if unit else ""), "utf-8")
    line = facts.read_text("utf-8").split("\n").index(f"    value: {value}") + 1
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert result.code == 1 and "∞" not in result.out + result.err
    assert [e.split("facts.yaml:")[1].split(":")[0] for e in errors(result)] == [str(line)], result.err


def test_hidden_characters_in_a_guide_are_located(site_copy: Path, tmp_path: Path) -> None:
    guide(site_copy, "第一行。\n私用\ue001字。\n方向\u202e反。\n")
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1
    assert [e.split("t.md:")[1].split(":")[0] for e in errors(result)] == ["7"], result.err


@pytest.mark.parametrize("char", ["\\x1b", "\\x85", "\\u2066"])
def test_a_control_character_never_reaches_the_feed(site_copy: Path, tmp_path: Path, char: str) -> None:
    path = site_copy / "guides/buy-sim.md"
    path.write_text(
        path.read_text("utf-8").replace("\ntitle: ", f'\ntitle: "{char}', 1).replace("\nsummary:", '"\nsummary:', 1),
        "utf-8",
    )
    result = build(site_copy, tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert any("buy-sim.md:2: front matter: 'title': invisible or private-use character" in e for e in errors(result))


def test_a_heading_named_like_a_page_id_gets_its_own_id(site_copy: Path, tmp_path: Path) -> None:
    guide(site_copy, "## Main\n\n正文。\n\n## toc-title {#toc-title}\n\n再来。\n")
    assert build(site_copy, tmp_path / "out").code == 0
    doc = LexborHTMLParser((tmp_path / "out/zh-hans/t/index.html").read_text("utf-8"))
    ids = [n.attributes["id"] for n in doc.css("[id]")]
    assert len(ids) == len(set(ids)) and "main-2" in ids and "toc-title-2" in ids


def test_an_operator_file_in_a_sub_folder_is_refused(site_copy: Path) -> None:
    (site_copy / "operators/a/b").mkdir(parents=True)
    shutil.copy(site_copy / "operators/alpha.yaml", site_copy / "operators/a/b/x.yaml")
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert result.code == 1
    assert any("operators/a/b/x.yaml:1: operators/ holds only <id>.yaml files, no folders" in e for e in errors(result))


def test_review_of_a_file_that_is_not_utf8_is_one_line(site_copy: Path) -> None:
    path = site_copy / "guides/alpha/cancel.zh-Hant.md"
    path.write_bytes(b"---\ntitle: \xff\n---\n")
    result = run_cli("review", path)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1 and "not valid UTF-8" in result.err


INPUTS = {  # a megabyte each, of the shapes that make a backtracking pattern quadratic
    "stars": "**1" * 350_000,
    "digits": "1" * 1_000_000 + "a",
    "spaced digits": "1 " * 500_000 + "x",
    "dashes": "1" + " -" * 500_000,
    "hashes": "*1#" * 330_000,
    "braces": "{{" * 500_000,
    "app and spaces": "微信" + " " * 1_000_000,
    "dots": "1." * 500_000,
    "prices": "1" * 999_999 + "马纳",
    "years": "2025年" * 200_000,
    "overrides": "-{" * 500_000,
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_contributor_text_is_read_in_linear_time(name: str) -> None:
    """A megabyte of text that would take a quadratic pattern minutes takes seconds."""
    from sitegen.text.lint import PROMOTION, FactIndex, typed_facts
    from sitegen.text.markdown import parse

    text = INPUTS[name]
    with deadline(30):
        list(typed_facts(text, FactIndex({"*100": "a.b"}, {}, {})))
        PROMOTION.search(text)
        parse(f"`{text}`\n\n{text[:200_000]}\n", "content/guides/x.md", 6)


def test_a_huge_code_span_of_stars_builds_quickly(site_copy: Path, tmp_path: Path) -> None:
    guide(site_copy, "`" + "**1" * 40_000 + "`\n")
    with deadline(60):
        result = build(site_copy, tmp_path / "out")
    assert "Traceback" not in result.err


names = st.text(alphabet=st.sampled_from(list('abz09-_.\n\t /\\:*?"<>|🙂..')), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, out=names)
def test_random_file_names_and_output_paths(tmp_path_factory: pytest.TempPathFactory, name: str, out: str) -> None:
    """Whatever a guide is called and wherever --out points (inside a fresh folder), the build
    ends in a site or located errors, and writes nothing outside --out."""
    work = tmp_path_factory.mktemp("names")
    shutil.copytree(SITE / "content", work / "content")
    try:
        (work / "content/guides" / name).write_text(FRONT + "正文。\n", "utf-8")
    except OSError:
        return  # a name no file system takes
    before = {p.relative_to(work) for p in work.rglob("*")}
    target = work / "o" / out
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen.cli",
            "build",
            "--root",
            str(REPO),
            "--content",
            str(work / "content"),
            "--out",
            str(target),
            "--no-search",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1, 2), proc.stderr
    after = {p.relative_to(work) for p in work.rglob("*")} - before
    resolved = target.resolve()
    assert all(
        (work / p).resolve() == resolved
        or (work / p).resolve().is_relative_to(resolved)
        or (work / p).resolve() in resolved.parents
        for p in after
    ), sorted(map(str, after))[:5]
    if proc.returncode == 0:
        assert (resolved / "index.html").is_file()
