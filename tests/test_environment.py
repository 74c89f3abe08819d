"""The Jinja environment folds UI strings and stylesheets into compiled templates: every page
must come out exactly as Jinja's own compiler makes it, and a folded string must never
outlive the catalog it came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.compiler import CodeGenerator

from sitegen.build import _read
from sitegen.diagnostics import Report
from sitegen.environment import make_env
from sitegen.guides import process_guide
from sitegen.i18n import Messages
from sitegen.memo import MemoryBytecodeCache, NoMemo
from sitegen.model import LOCALES, Options
from sitegen.render import SiteRenderer
from tests.conftest import REPO, SITE


def _pages(content: Path, fold: bool) -> dict[str, bytes]:
    options = Options(root=REPO, content=content, out=REPO / "unused", search=False)
    site, messages = _read(options, NoMemo(), Report(), 1)
    assert site is not None
    envs = {loc: make_env(REPO / "templates", messages[loc]) for loc in LOCALES}
    if not fold:
        for env in envs.values():
            env.code_generator_class = CodeGenerator  # Jinja's own: every call made at render time
    renderer = SiteRenderer(site, envs, messages)
    pages = renderer.listing_pages()
    bodies = {}
    for key, guide in site.guides.items():
        result, guide_pages = process_guide(site, renderer, guide)
        pages |= guide_pages
        bodies[key] = result.bodies
    for op_id in site.content.operators:
        pages |= renderer.print_pages(op_id, {k: b for k, b in bodies.items() if site.guides[k].operator == op_id})
    return pages


@pytest.mark.parametrize("content", [SITE / "content", REPO / "content"], ids=["fixture", "real"])
def test_folded_templates_give_jinjas_own_pages(content: Path) -> None:
    folded, plain = _pages(content, fold=True), _pages(content, fold=False)
    assert sorted(folded) == sorted(plain)
    assert len(folded) > 20
    for name in plain:
        assert folded[name] == plain[name], name


def _messages(**table: str) -> Messages:
    return Messages("zh-Hans", dict(table))


def test_a_literal_ui_string_is_folded_and_a_missing_one_still_recorded(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text('{{ _("Search") }}|{{ _("100%% sure") }}|{{ _("Nowhere") }}', "utf-8")
    messages = _messages(Search="<搜索>", **{"100%% sure": "百分之百%%"})
    env = make_env(tmp_path, messages)
    template = env.get_template("t.html")
    # folded: the translation is in the compiled code, as Markup (not escaped), %% done once
    assert "<搜索>" in env.compile(env.loader.get_source(env, "t.html")[0], "t.html", raw=True)  # type: ignore[union-attr]
    assert template.render() == "<搜索>|百分之百%|Nowhere"
    assert messages.missing == {"Nowhere"}


def test_a_template_that_names_its_own_underscore_is_not_folded(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text('{% set _ = x %}{{ _("Search") }}', "utf-8")
    env = make_env(tmp_path, _messages(Search="搜索"))
    assert env.get_template("t.html").render(x=lambda s: s.upper()) == "SEARCH"


def test_a_shared_bytecode_cache_keeps_each_catalogs_strings(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text('{{ _("Search") }}', "utf-8")
    cache = MemoryBytecodeCache()
    first = make_env(tmp_path, _messages(Search="搜索"), cache).get_template("t.html").render()
    second = make_env(tmp_path, _messages(Search="查找"), cache).get_template("t.html").render()
    again = make_env(tmp_path, _messages(Search="搜索"), cache).get_template("t.html").render()
    assert (first, second, again) == ("搜索", "查找", "搜索")


def test_an_edited_stylesheet_is_not_served_from_the_bytecode_cache(tmp_path: Path) -> None:
    (tmp_path / "_css").mkdir()
    (tmp_path / "_css" / "a.css").write_text("a { color: red; }", "utf-8")
    (tmp_path / "t.html").write_text('<style>{{ css("a.css") }}</style>', "utf-8")
    cache = MemoryBytecodeCache()
    assert make_env(tmp_path, _messages(), cache).get_template("t.html").render() == "<style>a{color:red}</style>"
    (tmp_path / "_css" / "a.css").write_text("a { color: blue; }", "utf-8")
    assert make_env(tmp_path, _messages(), cache).get_template("t.html").render() == "<style>a{color:blue}</style>"


def test_a_missing_stylesheet_is_still_reported_at_its_template_line(tmp_path: Path) -> None:
    from jinja2 import TemplateNotFound

    from sitegen.render import template_diagnostic

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text('\n<style>{{ css("gone.css") }}</style>', "utf-8")
    env = make_env(tmp_path / "templates", _messages())
    with pytest.raises(TemplateNotFound) as err:
        env.get_template("t.html").render()
    assert template_diagnostic(err.value, tmp_path).format().startswith("templates/t.html:2: template: ")


def test_attributes_of_dicts_are_found_as_jinja_finds_them(tmp_path: Path) -> None:
    """The dict shortcut gives what Jinja's attribute-first lookup gives, methods included."""
    from hypothesis import given
    from hypothesis import strategies as st
    from jinja2 import Environment, StrictUndefined

    env, plain = make_env(tmp_path, _messages()), Environment(undefined=StrictUndefined)
    names = st.sampled_from(["title", "items", "keys", "get", "update", "__class__", "missing", "url"])

    @given(st.dictionaries(names, st.integers(), max_size=5), names)
    def same(data: dict, name: str) -> None:
        ours, theirs = env.getattr(data, name), plain.getattr(data, name)
        assert type(ours) is type(theirs)
        if not hasattr(theirs, "_undefined_name"):
            assert ours == theirs

    same()
    assert env.from_string("{{ d.title }}|{{ d.items() | list | length }}").render(d={"title": "t", "items": 1}) == "t|2"
