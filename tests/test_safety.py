"""Hostile Markdown is neutralised; builds are deterministic; a failed build keeps the old output."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, SITE, build, run_cli, tree

HOSTILE = """---
title: "<script>alert(1)</script>恶意内容"
summary: 测试。
updated: 2026-11-01
---
<script>alert(1)</script>

<img src=x onerror=alert(1)>

<div onclick="alert(1)">点击</div>

[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c]( javascript:alert(1) )
[d](java&#115;cript:alert(1)) [e](vbscript:msgbox(1)) [f](data:text/html;base64,PHNjcmlwdD4=)
![g](javascript:alert(1)) ![h](data:image/svg+xml;base64,PHN2Zz4=)
[i](&#x6A;avascript:alert(1)) <javascript:alert(1)>

<style>body{display:none}</style>

[ok](https://www.alpha.example/ "title\\" onmouseover=\\"x")
"""


def _hostile_site(site_copy: Path) -> Path:
    (site_copy / "guides" / "evil.md").write_text(HOSTILE, "utf-8")
    return site_copy


def test_hostile_markdown_is_neutralised(site_copy: Path, tmp_path: Path) -> None:
    result = build(_hostile_site(site_copy), tmp_path / "out")
    assert result.code == 0, result.err
    for lang in ("zh-hans", "zh-hant"):
        doc = LexborHTMLParser((tmp_path / f"out/{lang}/evil/index.html").read_text("utf-8"))
        # The theme's own scripts (static files, JSON-LD data) are fine; nothing from the content.
        for script in doc.css("script"):
            assert "<" not in script.text() and "alert" not in script.attributes.get("src", "")
            assert (
                script.attributes.get("src", "").startswith("/guide/static/")
                or script.attributes.get("type") == "application/ld+json"
                or not script.text().strip()
            ), script.html
        assert not [s for s in doc.css("style") if "body{display:none}" in s.text()]
        for node in doc.css("*"):
            for name, value in node.attributes.items():
                assert not name.lower().startswith("on"), (name, value)
                if name in ("href", "src"):
                    scheme = (value or "").strip().lower()
                    assert not scheme.startswith(("javascript:", "vbscript:", "data:")), value
        assert "<script>alert(1)</script>" in doc.css_first("article").text()


def test_hostile_markdown_is_reported(site_copy: Path) -> None:
    result = run_cli("check", "--root", REPO, "--content", _hostile_site(site_copy), "--strict")
    assert result.code == 1
    evil = [line for line in result.lines if "guides/evil.md" in line]
    assert any("raw HTML is not allowed" in line for line in evil)
    schemes = sorted({line.split("'")[1] for line in evil if "link scheme" in line})
    assert schemes == ["data:", "javascript:", "vbscript:"]


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(SITE / "content", tmp_path / "a" / "public")
    second = build(SITE / "content", tmp_path / "b" / "out")
    assert first.code == second.code == 0
    assert tree(tmp_path / "a" / "public") == tree(tmp_path / "b" / "out")


def test_failed_build_leaves_previous_output_intact(site_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(site_copy, out).code == 0
    before = tree(out)
    guide = site_copy / "guides" / "buy-sim.md"
    guide.write_text(guide.read_text("utf-8").replace("title:", "titel:"), "utf-8")
    assert build(site_copy, out).code == 1
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]  # no temp folders left


def test_rebuild_replaces_output_and_removes_stale_pages(site_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(site_copy, out).code == 0
    (site_copy / "guides" / "buy-sim.md").unlink()
    guide = site_copy / "guides" / "alpha" / "top-up.md"
    guide.write_text(guide.read_text("utf-8").replace("和[买卡](../buy-sim.md)", ""), "utf-8")
    assert build(site_copy, out).code == 0, "expected the edited site to build"
    assert not (out / "zh-hans/buy-sim").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]


def test_paths_outside_the_output_are_refused(tmp_path: Path) -> None:
    import pytest

    from sitegen.output.write import UnsafeOutput, safe_join

    for bad in ("../x", "/etc/passwd", "a/../../x", "", ".", "./", "a/..", "a\x00b"):
        with pytest.raises(UnsafeOutput):
            safe_join(tmp_path, bad)
    assert Path(safe_join(tmp_path, "zh-hans/a/index.html")) == tmp_path / "zh-hans/a/index.html"


def test_source_date_epoch_fixes_now_for_fact_age(site_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_700_000_000))  # 2023-11-14
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert not any("more than 12 months" in line for line in result.lines)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_900_000_000))  # 2030-03-17
    result = run_cli("check", "--root", REPO, "--content", site_copy)
    assert sum("more than 12 months" in line for line in result.lines) == 6
