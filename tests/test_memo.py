"""sitegen serve keeps the last build in memory and renders again only what an edit affects.
Whatever the edit, the result must be the clean build's: same files, same messages."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import render_site
from sitegen.edits import apply_body_edits
from sitegen.memo import Memo
from sitegen.model import Options
from tests.conftest import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("templates", "i18n", "content"):
        shutil.copytree(REPO / name, root / name)
    return root


def options(root: Path) -> Options:
    return Options(root, root / "content", root / "public", base_url="http://127.0.0.1:8000/", search=False)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


GUIDE = "content/guides/nar/top-up.md"
EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda r: replace_in(r / GUIDE, "\n## ", "\n补充一句。\n\n## "),
    "title": lambda r: replace_in(r / GUIDE, "title: ", "title: 新"),
    "hand-written zh-Hant": lambda r: replace_in(r / "content/guides/nar/top-up.zh-Hant.md", "\n## ", "\n補充。\n\n## "),
    "fact date": lambda r: replace_in(r / "content/operators/nar.yaml", "checked: 2026-11-21", "checked: 2026-11-20"),
    "fact value": lambda r: replace_in(r / "content/operators/azercell.yaml", "value: ", "value: 9"),
    "template": lambda r: replace_in(r / "templates/guide.html", "<article>", "<article class=\"x\">"),
    "catalog": lambda r: replace_in(r / "i18n/zh_Hant/LC_MESSAGES/messages.po", 'msgstr "目錄"', 'msgstr "內容"'),
    "glossary": lambda r: (r / "i18n/glossary/general.tsv").write_text(
        (r / "i18n/glossary/general.tsv").read_text("utf-8") + "余额\t結餘\n", "utf-8"),
    "new guide": lambda r: (r / "content/guides/new-one.md").write_text(
        "---\ntitle: 新指南\nsummary: 新的。\nupdated: 2026-11-01\n---\n见[Nar 充值](nar/top-up.md#先查余额)。\n", "utf-8"),
    "removed guide": lambda r: (r / "content/guides/nar/renew.md").unlink(),
    "draft": lambda r: replace_in(r / "content/guides/nar/renew.md", "title: ", "draft: true\ntitle: "),
    "broken front matter": lambda r: replace_in(r / GUIDE, "title: ", "title: [oops\nx: "),
    "heading renamed": lambda r: replace_in(r / GUIDE, "## 先查余额", "## 先查询余额"),
}


def snapshot(result) -> tuple[dict[str, bytes], list[str]]:  # type: ignore[no-untyped-def]
    """Files and messages; a build with errors has no files anyone may use."""
    files = {} if result.report.errors else dict(result.files)
    return files, [d.format() for d in result.report.sorted()]


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_gives_the_clean_result(project: Path, edit: str) -> None:
    memo = Memo()
    first = render_site(options(project), memo=memo)
    assert not first.report.errors
    EDITS[edit](project)
    again = render_site(options(project), memo=memo)
    assert snapshot(again) == snapshot(render_site(options(project)))


def test_a_series_of_edits_and_undos_stays_exact(project: Path) -> None:
    memo = Memo()
    render_site(options(project), memo=memo)
    guide = project / GUIDE
    original = guide.read_text("utf-8")
    for edit in ("body", "title", "fact value", "new guide", "heading renamed", "draft", "body"):
        EDITS[edit](project)
        result = render_site(options(project), memo=memo)
        assert snapshot(result) == snapshot(render_site(options(project)))
        if edit == "heading renamed":  # the new guide's link (kept in the memo) now misses its anchor
            assert any("link anchor '#先查余额'" in d.message for d in result.report.errors)
        guide.write_text(original, "utf-8")  # undo, as an editor's undo would
        assert snapshot(render_site(options(project), memo=memo)) == snapshot(render_site(options(project)))


def test_a_body_edit_renders_one_guide(project: Path) -> None:
    memo = Memo()
    first = render_site(options(project), memo=memo)
    total = len(first.site.guides)
    assert memo.reused == 0
    EDITS["body"](project)
    render_site(options(project), memo=memo)
    assert memo.reused == total - 1
    EDITS["template"](project)
    render_site(options(project), memo=memo)
    assert memo.reused == 0  # site-wide input: everything again


# --- body edits applied to the last build (sitegen.edits) ----------------------------------

BODY_ONLY = {"body", "hand-written zh-Hant", "heading renamed"}
CHANGED = {"hand-written zh-Hant": "content/guides/nar/top-up.zh-Hant.md", "fact date": "content/operators/nar.yaml",
           "fact value": "content/operators/azercell.yaml", "template": "templates/guide.html",
           "catalog": "i18n/zh_Hant/LC_MESSAGES/messages.po", "glossary": "i18n/glossary/general.tsv",
           "new guide": "content/guides/new-one.md", "removed guide": "content/guides/nar/renew.md",
           "draft": "content/guides/nar/renew.md"}  # the rest edit GUIDE


@pytest.mark.parametrize("edit", EDITS)
def test_a_body_edit_is_applied_to_the_last_build_exactly(project: Path, edit: str) -> None:
    previous = render_site(options(project))
    EDITS[edit](project)
    changed = frozenset({project / CHANGED.get(edit, GUIDE)})
    applied = apply_body_edits(previous, options(project), changed)
    if edit in BODY_ONLY:
        assert applied is not None, "a body edit must not need a rebuild"
    if applied is not None:
        assert snapshot(applied) == snapshot(render_site(options(project)))


def test_body_edits_in_a_row_with_an_error_and_its_fix(project: Path) -> None:
    last = render_site(options(project))
    guide = project / GUIDE
    original = guide.read_text("utf-8")
    for i, extra in enumerate(["补充一。", "见 {{nar.no-such-fact}}。", "补充二。"]):
        guide.write_text(original + f"\n{extra}\n", "utf-8")
        applied = apply_body_edits(last, options(project), frozenset({guide}))
        assert applied is not None
        assert snapshot(applied) == snapshot(render_site(options(project))), i
        if not applied.report.errors:
            last = applied  # as serve keeps the last good build
        assert bool(applied.report.errors) == (i == 1)


def test_other_changes_are_not_applied_as_body_edits(project: Path) -> None:
    previous = render_site(options(project))
    EDITS["new guide"](project)
    assert apply_body_edits(previous, options(project), frozenset({project / "content/guides/new-one.md"})) is None
    assert apply_body_edits(previous, options(project), frozenset({project / "templates/guide.html"})) is None
    EDITS["title"](project)
    assert apply_body_edits(previous, options(project), frozenset({project / GUIDE})) is None


def test_serve_counts_a_guide_edited_in_both_scripts_once(project: Path) -> None:
    from sitegen.serve import State, rebuild

    state, said, memo = State(), [], Memo()
    rebuild(options(project), state, said.append, memo)
    EDITS["body"](project)
    EDITS["hand-written zh-Hant"](project)
    both = frozenset({project / GUIDE, project / CHANGED["hand-written zh-Hant"]})
    rebuild(options(project), state, said.append, memo, both)
    total = len(state.last.guides)
    assert f"guides rendered: 1 of {total})" in said[-1], said[-1]
