"""Simple front matter is read without the YAML parser; it must read exactly as the parser does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.diagnostics import ContentError
from sitegen.yamlfile import _Loader, _simple_mapping, load_yaml


def parsed(text: str) -> object:
    loader = _Loader(text)
    loader.line_offset = 1
    try:
        return loader.get_single_data()
    except Exception as err:  # noqa: BLE001 (any parser error: the fast path must have declined)
        return err
    finally:
        loader.dispose()


def same(text: str) -> None:
    fast = _simple_mapping(text, 1)
    if fast is None:
        return  # declined: the parser reads it
    ref = parsed(text)
    assert fast == ref, text
    assert [type(v) for v in fast.values()] == [type(v) for v in ref.values()], text  # 1 is not True
    assert fast.lines == ref.lines, text


CASES = [
    "title: 指南 一\nsummary: 充值，余额。\nupdated: 2026-02-02",
    "title: a\nsources:\n- https://a.az/x\n- https://b.az/\nupdated: 2026-01-01",
    "title: a\nsources:\n  - https://a.az/x\n  - https://b.az/",
    "title: a\nsources:\n  - x\n- y",
    "order: 3\ndraft: true\nflag: off\nn: 0x10\nm: 010\nf: 1.5\nz: ~\nnull_: null\ne: 1e3",
    "title: yes\nt: No\nu: TRUE\nv: 12:30",
    "updated: 2026-02-30\nx: 2026-2-3\ny: 2026-02-02 10:00",
    "a: b: c\nd: e #f\ng: h#i\nj: k:\nl: 'q'\nm: \"q\"\nn: [1]\no: {a: 1}\np: &x 1\nq: *x",
    "title: a\ntitle: b",
    "title:\nsummary: x",
    "sources:\n",
    "a:  two  spaces  \nb: \tx\nc: x\t",
    "- a\n- b",
    "1: a\ntrue: b\nnull: c",
    "a: |\n  x\nb: >\n  y",
    "a: x\n  continued",
    "a: x\n# comment\nb: y",
    "a: %x\nb: @x\nc: `x",
    "a: -x\nb: - x\nc: ?x\nd: ,x",
    "a: \x07bell",
    "a: x\u2028y\nb: \ufeffz\nc: \x85",
]


@pytest.mark.parametrize("text", CASES)
def test_fast_path_matches_the_parser(text: str) -> None:
    same(text)


def test_fast_path_takes_ordinary_front_matter() -> None:
    assert _simple_mapping(CASES[0], 1) == {"title": "指南 一", "summary": "充值，余额。",
                                              "updated": __import__("datetime").date(2026, 2, 2)}
    assert _simple_mapping(CASES[1], 1) is not None


def test_declined_text_still_reports_errors_with_lines() -> None:
    with pytest.raises(ContentError) as err:
        load_yaml("title: a\nupdated: 2026-02-30", "x.md", line_offset=1)
    assert err.value.diagnostic.line == 3 and "invalid date" in err.value.diagnostic.message
    with pytest.raises(ContentError) as err:
        load_yaml("title: a\ntitle: b", "x.md", line_offset=1)
    assert err.value.diagnostic.line == 3 and "appears twice" in err.value.diagnostic.message


pieces = st.sampled_from(["title", "sources", "a", "1", "true", ":", ": ", " ", "  ", "-", "- ", "\n", "\n- ",
                          "#", " #", "'", '"', "*", "&", "!", "|", ">", "[", "]", "{", "}", ",", "?", "%",
                          "@", "`", "\t", "2026-02-02", "2026-13-01", "12", "0x1", "1.5", "yes", "off", "~",
                          "null", "指南", "充值", "https://a.az/x", "\x07", "\u2028", "\ufeff"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(pieces, max_size=24).map("".join))
def test_fast_path_matches_the_parser_on_random_text(text: str) -> None:
    same(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "summary", "order", "draft", "k_2"]),
                          st.lists(pieces, max_size=6).map("".join)), max_size=6))
def test_fast_path_matches_the_parser_on_key_value_lines(pairs: list[tuple[str, str]]) -> None:
    same("\n".join(f"{k}: {v}" for k, v in pairs))
