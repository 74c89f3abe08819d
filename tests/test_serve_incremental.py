"""sitegen serve keeps the last build in memory (and its converter, catalogs and templates) and
renders again only the guides a body edit touches. Whatever the edit, what it serves must be
the clean build's: same files, same messages."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import render_site
from sitegen.commands.serve import State, rebuild
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


def clean(root: Path) -> tuple[dict[str, bytes], list[str]]:
    """Files and messages of a build from nothing; a build with errors has no usable files."""
    result = render_site(options(root))
    return ({} if result.report.errors else dict(result.pages)), [d.format() for d in result.report.sorted()]


def served(state: State, said: list[str]) -> tuple[dict[str, bytes], list[str]]:
    """What serve shows: the last good files unless there are errors, and the messages it said."""
    return ({} if state.errors else dict(state.files)), [
        line for line in said if not line.startswith("rebuilt") and not line.startswith("errors:")
    ]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


GUIDE = "content/guides/nar/top-up.md"
EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda r: replace_in(r / GUIDE, "\n## ", "\n补充一句。\n\n## "),
    "title": lambda r: replace_in(r / GUIDE, "title: ", "title: 新"),
    "hand-written zh-Hant": lambda r: replace_in(
        r / "content/guides/nar/top-up.zh-Hant.md", "\n## ", "\n補充。\n\n## "
    ),
    "fact date": lambda r: replace_in(r / "content/operators/nar.yaml", "    checked: 20", "    checked: 19"),
    "fact value": lambda r: replace_in(r / "content/operators/azercell.yaml", "value: ", "value: 9"),
    "template": lambda r: replace_in(r / "templates/guide.html", "<article>", '<article class="x">'),
    "catalog": lambda r: replace_in(r / "i18n/zh_Hant/LC_MESSAGES/messages.po", 'msgstr "目錄"', 'msgstr "內容"'),
    "glossary": lambda r: (r / "i18n/glossary/general.tsv").write_text(
        (r / "i18n/glossary/general.tsv").read_text("utf-8") + "余额\t結餘\n", "utf-8"
    ),
    "new guide": lambda r: (r / "content/guides/new-one.md").write_text(
        "---\ntitle: 新指南\nsummary: 新的。\nupdated: 2026-11-01\n---\n见[Nar 充值](nar/top-up.md#先查余额)。\n",
        "utf-8",
    ),
    "removed guide": lambda r: (r / "content/guides/nar/renew.md").unlink(),
    "draft": lambda r: replace_in(r / "content/guides/nar/renew.md", "title: ", "draft: true\ntitle: "),
    "broken front matter": lambda r: replace_in(r / GUIDE, "title: ", "title: [oops\nx: "),
    "heading renamed": lambda r: replace_in(r / GUIDE, "## 先查余额", "## 先查询余额"),
}


BODY_ONLY = {"body", "hand-written zh-Hant", "heading renamed"}
CHANGED = {
    "hand-written zh-Hant": "content/guides/nar/top-up.zh-Hant.md",
    "fact date": "content/operators/nar.yaml",
    "fact value": "content/operators/azercell.yaml",
    "template": "templates/guide.html",
    "catalog": "i18n/zh_Hant/LC_MESSAGES/messages.po",
    "glossary": "i18n/glossary/general.tsv",
    "new guide": "content/guides/new-one.md",
    "removed guide": "content/guides/nar/renew.md",
    "draft": "content/guides/nar/renew.md",
}  # the rest edit GUIDE


def _changed(root: Path, edit: str) -> frozenset[Path]:
    """What the watcher reports: the file changed in place, or nothing for added and removed files."""
    return frozenset() if edit in ("new guide", "removed guide") else frozenset({root / CHANGED.get(edit, GUIDE)})


def _rebuild(root: Path, state: State, changed: frozenset[Path] = frozenset()) -> list[str]:
    said: list[str] = []
    rebuild(options(root), state, said.append, changed)
    return said


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_gives_the_clean_result(project: Path, edit: str) -> None:
    state = State()
    _rebuild(project, state)
    assert not state.errors
    EDITS[edit](project)
    said = _rebuild(project, state, _changed(project, edit))
    assert served(state, said) == clean(project)
    rendered = said[-1].split("guides rendered: ")[1].split(" of ")[0]
    if edit in BODY_ONLY:
        assert rendered == "1", said[-1]


def test_a_series_of_edits_and_undos_stays_exact(project: Path) -> None:
    state = State()
    _rebuild(project, state)
    guide = project / GUIDE
    original = guide.read_text("utf-8")
    for edit in ("body", "title", "fact value", "new guide", "heading renamed", "draft", "body"):
        EDITS[edit](project)
        said = _rebuild(project, state, _changed(project, edit))
        assert served(state, said) == clean(project), edit
        if edit == "heading renamed":  # the new guide's link now misses its anchor
            assert any("link anchor '#先查余额'" in d.message for d in state.errors)
        guide.write_text(original, "utf-8")  # undo, as an editor's undo would
        said = _rebuild(project, state, frozenset({guide}))
        assert served(state, said) == clean(project), edit


def test_body_edits_in_a_row_with_an_error_and_its_fix(project: Path) -> None:
    state = State()
    _rebuild(project, state)
    guide = project / GUIDE
    original = guide.read_text("utf-8")
    for i, extra in enumerate(["补充一。", "见 {{nar.no-such-fact}}。", "补充二。"]):
        guide.write_text(original + f"\n{extra}\n", "utf-8")
        said = _rebuild(project, state, frozenset({guide}))
        assert "guides rendered: 1 of" in said[-1]
        assert bool(state.errors) == (i == 1)
        if not state.errors:
            assert served(state, said) == clean(project), i


def test_other_changes_render_every_guide(project: Path) -> None:
    state = State()
    total = len(render_site(options(project)).guides)
    _rebuild(project, state)
    for edit in ("title", "template", "new guide"):
        EDITS[edit](project)
        said = _rebuild(project, state, frozenset({project / CHANGED.get(edit, GUIDE)}))
        assert f"guides rendered: {total + (edit == 'new guide')} of" in said[-1], said[-1]


def test_a_guide_edited_in_both_scripts_counts_once(project: Path) -> None:
    state = State()
    _rebuild(project, state)
    EDITS["body"](project)
    EDITS["hand-written zh-Hant"](project)
    said = _rebuild(project, state, frozenset({project / GUIDE, project / CHANGED["hand-written zh-Hant"]}))
    assert f"guides rendered: 1 of {len(state.last.guides)})" in said[-1], said[-1]
    assert served(state, said) == clean(project)


def test_the_watcher_survives_an_internal_error(project: Path) -> None:
    """Whatever goes wrong in a rebuild is shown (in the browser too), and the next edit works."""
    state = State()
    _rebuild(project, state)
    good = dict(state.files)
    (project / "content").rename(project / "gone")  # the content folder vanishes mid-session
    (project / "content").mkdir()
    (project / "content" / "site.yaml").mkdir()  # a folder where a file should be
    said = _rebuild(project, state)
    assert state.errors and state.files == good, said
    assert "Traceback" not in "".join(said)
    (project / "content").rename(project / "broken")
    (project / "gone").rename(project / "content")
    said = _rebuild(project, state)
    assert served(state, said) == clean(project)


def test_a_body_edit_shows_what_the_edited_guide_says(project: Path) -> None:
    """Thousands of warnings elsewhere would bury the one the writer just caused: a body edit shows every error and
    the edited guide's own diagnostics, then counts the rest."""
    other = project / "content/guides/azercell/top-up.md"
    other.write_text(other.read_text("utf-8") + "\n拨打 *9876# 查询。\n", "utf-8")  # a warning elsewhere
    state = State()
    first = _rebuild(project, state)
    assert any(line.startswith("content/guides/azercell/top-up.md:") and "*9876#" in line for line in first)
    guide = project / GUIDE
    guide.write_text(guide.read_text("utf-8") + "\n拨打 *4321# 查询。\n", "utf-8")
    said = _rebuild(project, state, frozenset({guide}))
    warnings = [line for line in said if ": warning: " in line]
    assert warnings and all(line.startswith(f"{GUIDE}:") for line in warnings), said
    assert any("'*4321#' is typed into the text" in line for line in warnings)
    assert f"{len(state.last.report.items) - len(warnings)} more warnings in other files (sitegen check)" in said
