"""sitegen new and sitegen convert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import REPO, build, run_cli


def test_new_operator_guide_is_created_with_valid_front_matter(site_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 5, 4, tzinfo=dt.UTC).timestamp())))
    result = run_cli("new", "beta", "cancel", "--root", REPO, "--content", site_copy)
    assert result.code == 0, result.err
    path = site_copy / "guides/beta/cancel.md"
    preview = "preview: run `sitegen serve`, then open http://127.0.0.1:8000/zh-hans/beta/cancel/"
    assert result.out.splitlines() == [f"created {path}", preview]
    assert "updated: 2026-05-04" in path.read_text("utf-8")
    assert build(site_copy, tmp_path / "out").code == 0
    assert (tmp_path / "out/zh-hant/beta/cancel/index.html").is_file()


def test_new_general_guide_and_refusals(site_copy: Path) -> None:
    assert run_cli("new", "visa-help", "--root", REPO, "--content", site_copy).code == 0
    assert (site_copy / "guides/visa-help.md").is_file()
    again = run_cli("new", "visa-help", "--root", REPO, "--content", site_copy)
    assert again.code == 2 and "already exists" in again.err
    typo = run_cli("new", "alpha", "topup", "--root", REPO, "--content", site_copy)
    assert typo.code == 2 and "did you mean 'top-up'?" in typo.err
    unknown = run_cli("new", "gamma", "cancel", "--root", REPO, "--content", site_copy)
    assert unknown.code == 2 and "unknown operator 'gamma'" in unknown.err
    bad = run_cli("new", "Visa Help", "--root", REPO, "--content", site_copy)
    assert bad.code == 2 and not list(site_copy.glob("guides/Visa*"))


def test_convert_marks_glossary_hits_and_leaves_code_alone(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text(
        "---\ntitle: 充值\n---\n用短信充值，拨打 `*100#`，见[链接](https://a.example/短信) {{nar.balance}}。\n", "utf-8"
    )
    result = run_cli("convert", guide, "--root", REPO)
    assert result.code == 0, result.err
    first = result.out.split("\nglossary and rule hits")[0]
    assert "title: ⟦儲值⟧" in first
    assert "用⟦簡訊⟧⟦儲值⟧，撥打 `*100#`，見[⟦連結⟧](https://a.example/短信) {{nar.balance}}。" in first
    hits = result.out.split("(⟦…⟧ above; the rest is OpenCC s2tw):\n")[1].splitlines()
    assert [h.split("  (")[0] for h in hits if "充值" in h or "短信" in h] == ["  充值 → 儲值  ×2", "  短信 → 簡訊  ×1"]
    assert all(h.endswith(")") and "i18n/glossary/general.tsv:" in h for h in hits if "充值" in h or "短信" in h)


def test_no_color_turns_colour_off(monkeypatch) -> None:
    import io

    from sitegen.commands.console import show
    from sitegen.diagnostics import Diagnostic

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    show(Diagnostic("a.md", 3, "bad"), stream)
    monkeypatch.setenv("NO_COLOR", "1")
    show(Diagnostic("a.md", 3, "bad"), stream)
    assert stream.getvalue().splitlines() == ["\033[31ma.md:3: bad\033[0m", "a.md:3: bad"]
