"""sitegen.blocks gives exactly markdown-it's block tokens, or declines.

The reference is markdown-it's own block parser on the full MarkdownIt (sitegen.markdown's
markdown()), after its normalize step, as the core "block" rule runs it. Every field of every
token is compared, children included.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.rules_core import StateCore, normalize
from markdown_it.token import Token

from sitegen import blocks
from sitegen.markdown import markdown

REPO = Path(__file__).resolve().parent.parent
FIELDS = ("type", "tag", "nesting", "attrs", "map", "level", "content", "markup", "info", "meta", "block",
          "hidden", "children")


def reference(src: str) -> tuple[str, list[Token]]:
    """The normalised source and markdown-it's block tokens for it."""
    state = StateCore(src, markdown(), {})
    normalize(state)
    markdown().block.parse(state.src, state.md, state.env, state.tokens)
    return state.src, state.tokens


def dump(tokens: list[Token]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(t, f) for f in FIELDS) for t in tokens]


def fast(src: str) -> list[Token] | None:
    """The fast path's tokens, asserted equal to markdown-it's whenever it gives any."""
    normalised, expected = reference(src)
    tokens = blocks.tokenize(normalised)
    if tokens is not None:
        assert all(type(t) is Token for t in tokens)
        assert dump(tokens) == dump(expected), src
    return tokens


def body_of(path: Path) -> str:
    return path.read_text("utf-8").split("---\n", 2)[-1]


# --- real guides and the benchmark corpus ---------------------------------------------------------

GUIDES = sorted(REPO.glob("content/guides/**/*.md"))
# Every real guide took the fast path when this was written; one that stops taking it shows here.
TAKEN = {
    "azercell/cancel.md", "azercell/esim.md", "azercell/renew.md", "azercell/top-up.md",
    "azercell/top-up.zh-Hant.md", "bakcell/cancel.md", "bakcell/esim.md", "bakcell/renew.md",
    "bakcell/top-up.md", "buy-sim.md", "imei.md", "keep-number.md", "nar/cancel.md", "nar/esim.md",
    "nar/renew.md", "nar/top-up.md", "nar/top-up.zh-Hant.md", "scams.md", "short-stay.md",
}


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: str(p.relative_to(REPO)))
def test_real_guide(path: Path) -> None:
    tokens = fast(body_of(path))
    name = path.relative_to(REPO / "content" / "guides").as_posix()
    assert (tokens is not None) or name not in TAKEN, f"{name} no longer takes the fast path"


def test_real_guides_coverage() -> None:
    names = {p.relative_to(REPO / "content" / "guides").as_posix() for p in GUIDES}
    assert TAKEN <= names  # a renamed guide: update TAKEN
    assert len(GUIDES) >= 19


def _corpus_bodies(n: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    assert spec and spec.loader
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    rng = random.Random(1)
    return [corpus.body(rng, i, n) for i in range(n)]


def test_benchmark_corpus() -> None:
    bodies = _corpus_bodies(300)
    assert all(fast(body) is not None for body in bodies)


# --- chosen inputs --------------------------------------------------------------------------------

TAKEN_CASES = {
    "empty": "",
    "blank only": "\n  \n\n",
    "paragraphs": "第一段\n第二行  \n第三行\n\n第二段 \u3000\n",
    "headings": "# 一\n## 二 {#two}\n### 三 ###\n#### 四#\n##### #\n###### \n#\n## a ## b\n",
    "heading interrupts": "段落\n## 标题\n段落",
    "tight ordered": "1. 一\n2. 二\n3. 三\n",
    "ordered start": "3. 三\n4. 四\n\n1) x\n1) y\n",
    "number after text": "段落\n2. 不是列表\n1. 是列表\n",
    "loose list": "- a\n\n- b\n\n\n- c\n\n段落\n",
    "list kinds": "- a\n* b\n+ c\n1. d\n1) e\n",
    "sub-list": "1. **证件**：\n   - 护照\n   - 登记证\n2. 手机\n10. 十\n    - 子\n\n- a\n  * b\n",
    "sub-list then blank": "1. a\n   - b\n\n\n2. c\n   - d\n\n",
    "table": "| 项目 | 说明 |\n|:---|---:|\n| a | b |\n| `c\\|d` | {{nar.balance}} |\n|x|\n| 1 | 2 | 3 |\n",
    "table aligns": "|a|b|c|\n|:-:|-|:--|\n\n| a |\n|---|\n",
    "table ends": "| a |\n|---|\n| 1 |\n## h\n| a |\n|---|\n- x\n",
    "text then table": "段落\n| a | b |\n| --- | --- |\n| 1 | 2 |\n",
    "callouts": "> [!NOTE]\n> 注意。\n\n> [!warning] \n> 警告\n>\n> 第二段\n\n> a\n## h\n> - x\n> - y\n- z\n",
    "nested quote": "> > a\n>\n> b\n",
    "quote with table": "> | a |\n> |---|\n> | 1 |\n",
    "no trailing newline": "# h\n\n- a\n- b",
    "trailing spaces line": "a\n   ",
    "html off": "<div>\n文字\n</div>\n",
    "links at line start": "[链接](a.md) 文字\n- [x](y.md)\n",
}


@pytest.mark.parametrize("src", TAKEN_CASES.values(), ids=TAKEN_CASES.keys())
def test_taken(src: str) -> None:
    assert fast(src) is not None


DECLINED_CASES = {
    "tab": "a\tb\n",
    "reference": "[a]: /url\n\n[a]\n",
    "indented code": "    code\n",
    "leading space": " a\n",
    "fence": "```\nx\n```\n",
    "tilde fence": "~~~\nx\n~~~\n",
    "hr": "a\n\n***\n",
    "setext": "a\n===\n",
    "setext dash": "a\n---\n",
    "lazy item": "- a\nb\n",
    "lazy quote": "> a\nb\n",
    "empty item": "-\n",
    "item heading": "- # h\n",
    "item continuation": "- a\n\n  b\n",
    "two spaces after marker": "-  a\n",
    "sub-list wrong indent": "1. a\n  - b\n",
    "ordered sub-list": "1. a\n   1. b\n",
    "sub-list bullet change": "- a\n  - b\n  * c\n",
    "table text row": "| a |\n|---|\nb\n",
    "table column mismatch": "| a | b |\n|---|\n",
    "delimiter alone": "|---|\n",
    "row alone": "| a |\n",
    "quote blank tail": "> a\n>\n>\n",
    "quote only blank": ">\n",
    "heading without space": "#a\n",
    "seven hashes": "####### a\n",
    "empty ordered after text": "a\n1.\n",
}


@pytest.mark.parametrize("src", DECLINED_CASES.values(), ids=DECLINED_CASES.keys())
def test_declined(src: str) -> None:
    assert fast(src) is None


# --- generated documents --------------------------------------------------------------------------

LINES = [
    "", " ", "   ", "中文段落。", "文字 | 竖线", "**粗体**：说明", "*斜体*", "_x_", "[链接](a.md) 后文",
    "[a]", "2025年的规则", "<div>", "`code` 开头", "```", "``` py", "~~~", "    缩进代码", "  两个空格",
    "\u3000全角空格", "行尾空格  ", "\\", "&amp;", "a\tb",
    "# 标题", "## 标题 {#id}", "### 标题 ###", "#### #", "#", "####### 七", "#无空格", "## a ## b",
    "- 项目", "* 项目", "+ 项目", "-", "- ", "-  两个空格", "- # 标题", "- > 引用", "- 1. x", "- [ ] 任务",
    "- | a |", "* * *", "- - -", "1. 第一", "2. 第二", "1) 括号", "10. 十", "0. 零", "1.", "1. ", "01. 前导零",
    "1234567890. 太长", "3.没有空格",
    "   - 子项", "   * 子项", "   1. 子项", "  - 两格子项", "    - 四格子项", "    - 子", "  - 子", "   -",
    "| a | b |", "|a|b|", "| a |", "|---|---|", "|:--|--:|", "| :-: | --- |", "|---|", "a | b", "--|--",
    "| a \\| b | c |", "| `x\\|y` | z |", "|", "||", "| a | b | c |", "|-|-|-|", "|- -|", ":-:|", "- |",
    "> [!NOTE]", "> 注意", ">", "> ", ">  两格", "> > 嵌套", "> - 项", "> 1. 项", "> | a |", "> |---|",
    "> # 标题", ">    - 子", "> ---",
    "---", "***", "___", "===", "==", "=", "--", ":--", "[r]: /url", "x]: y",
]


def documents() -> st.SearchStrategy[str]:
    line = st.one_of(st.sampled_from(LINES), st.text(alphabet="ab中 -*+#>|:\\`1.)[]!", max_size=8))
    return st.tuples(st.lists(line, max_size=14), st.sampled_from(["", "\n", "\n\n", " "])).map(
        lambda parts: "\n".join(parts[0]) + parts[1])


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated(src: str) -> None:
    fast(src)


# Documents built from blocks the fast path takes, joined with or without blank lines between
# them, so that most examples exercise it rather than a decline. One grammar, two drivers:
# hypothesis (test_generated_common) and a seeded random (test_generated_common_mostly_taken).
Pick = Callable[[Sequence[Any]], Any]
TEXTS = ["中文段落。", "**粗体**：说明", "文字 | 竖线", "[链接](a.md)", "行尾  ", "2025年", "`x` \\| y"]


def list_block(pick: Pick) -> str:
    marker = pick(["-", "*", "+", "1.", "2.", "1)", "10."])
    items = []
    for _ in range(pick([1, 2, 3, 4])):
        items.append(f"{marker} {pick(TEXTS)}")
        for _ in range(pick([0, 0, 1, 2])):
            items.append(" " * (len(marker) + 1) + f"{pick('-*')} {pick(TEXTS)}")
        items.extend([""] * pick([0, 0, 0, 1, 2]))
    return "\n".join(items)


def table_block(pick: Pick) -> str:
    columns = pick([1, 2, 3])
    delimiter = "|" + "|".join(pick(["---", ":--", "--:", ":-:", " - "]) for _ in range(columns)) + "|"
    rows = ["|" + "|".join(pick(TEXTS) for _ in range(pick([1, 2, 3, 4]))) + "|" for _ in range(pick([0, 1, 2, 3]))]
    return "\n".join(["| " + " | ".join(["a"] * columns) + " |", delimiter, *rows])


def plain_block(pick: Pick) -> str:
    kind = pick(["paragraph", "heading", "list", "list", "table"])
    if kind == "paragraph":
        return "\n".join(pick(TEXTS) for _ in range(pick([1, 2, 3])))
    if kind == "heading":
        return pick(["# 标题", "## 标题 ##", "### 标题 {#id}"])
    return list_block(pick) if kind == "list" else table_block(pick)


def common_document(pick: Pick) -> str:
    parts = []
    for _ in range(pick([0, 1, 2, 3, 4, 5, 6])):
        block = plain_block(pick)
        if pick([False, False, True]):
            block = "\n".join(f"> {line}" if line else ">" for line in block.split("\n"))
        parts.append(block + pick(["\n", "\n\n", "\n\n\n"]))
    return "".join(parts)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_common(data: st.DataObject) -> None:
    fast(common_document(lambda options: data.draw(st.sampled_from(options))))


def test_generated_common_mostly_taken() -> None:
    rng = random.Random(7)
    docs = [common_document(rng.choice) for _ in range(300)]
    taken = sum(fast(doc) is not None for doc in docs)
    assert taken > 150  # the grammar above must exercise the fast path, not only its declines
