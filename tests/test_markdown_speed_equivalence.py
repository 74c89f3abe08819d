"""The fast markdown path gives exactly what the plain one gives.

sitegen.markdown trims markdown-it's rules per body, skips the inline parser for plain text and
renders with its own loop. The reference below is the straightforward path it replaced: the
full MarkdownIt, our passes as first written, and markdown-it's stock RendererHTML with our
rules. Every input must give the same tokens, the same findings and the same HTML.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from sitegen import markdown as md
from sitegen.markdown import CALLOUTS, LinkRef, Parsed, Renderer, convert_tokens

REPO = Path(__file__).resolve().parent.parent

# --- the reference path -------------------------------------------------------------------------


def reference_parse(body: str, src_dir: str, first_line: int) -> Parsed:
    tokens = md.markdown().parse(body, {})
    parsed = Parsed(tokens)
    _ref_walk_inline(tokens, parsed, first_line, src_dir)
    _ref_assign_heading_ids(tokens, parsed)
    _ref_mark_callouts(tokens)
    return parsed


def _ref_walk_inline(tokens: list[Token], parsed: Parsed, first_line: int, src_dir: str) -> None:
    for block in tokens:
        if block.type != "inline" or block.children is None:
            continue
        line = first_line + (block.map[0] if block.map else 0)
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "fact":
                parsed.facts.append((line, child.meta["ref"]))
            elif child.type in ("link_open", "image"):
                md._check_link(child, line, parsed, src_dir)
            if child.type in ("text", "code_inline"):
                parsed.prose.append((line, child.content, child.type))
            if child.type == "text" and md._RAW_HTML.search(child.content):
                parsed.problems.append((line, "raw-html", md.RAW_HTML_MESSAGE))
        dropped = False
        for child in block.children:
            if child.type == "link_open":
                dropped = bool(child.meta.get("dropped"))
            elif child.type == "link_close" and dropped:
                child.meta["dropped"], dropped = True, False


def _ref_assign_heading_ids(tokens: list[Token], parsed: Parsed) -> None:
    used: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        explicit = md._take_explicit_id(inline)
        text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
        base = explicit or md.slugify(text) or "section"
        heading_id, n = base, 2
        while heading_id in used:
            heading_id, n = f"{base}-{n}", n + 1
        used.add(heading_id)
        token.attrSet("id", heading_id)
        parsed.heading_ids.append(heading_id)
        parsed.headings.append((int(token.tag[1]), heading_id, text))


def _ref_mark_callouts(tokens: list[Token]) -> None:
    opened: list[Token] = []
    for i, token in enumerate(tokens):
        if token.type == "blockquote_close":
            token.meta["callout"] = opened.pop().meta.get("callout")
            continue
        if token.type != "blockquote_open":
            continue
        opened.append(token)
        if i + 2 >= len(tokens) or tokens[i + 2].type != "inline":
            continue
        children = tokens[i + 2].children or []
        if not children or children[0].type != "text":
            continue
        first = children[0].content.strip().lower()
        if first in CALLOUTS:
            token.meta["callout"] = CALLOUTS[first]
            drop = 2 if len(children) > 1 and children[1].type == "softbreak" else 1
            tokens[i + 2].children = children[drop:]


class ReferenceRenderer:
    """markdown-it's RendererHTML with our rules, as sitegen rendered before."""

    def __init__(self, hant: bool, fact_html: Callable[[str], str],
                 link_url: Callable[[LinkRef], str], callout_label: Callable[[str], str]) -> None:
        self.hant, self.fact_html, self.link_url = hant, fact_html, link_url
        self.callout_label = callout_label
        self._html = RendererHTML()
        self._html.rules.update({
            "fact": lambda tokens, idx, options, env: self.fact_html(tokens[idx].meta["ref"]),
            "override": lambda tokens, idx, options, env: escape(
                tokens[idx].meta["hant" if self.hant else "hans"]),
            "link_open": self._link_open,
            "link_close": lambda tokens, idx, options, env: (
                "" if tokens[idx].meta.get("dropped") else "</a>"),
            "image": self._image,
            "blockquote_open": self._blockquote_open,
            "blockquote_close": lambda tokens, idx, options, env: (
                "</div>\n" if tokens[idx].meta.get("callout") else "</blockquote>\n"),
        })

    def render(self, tokens: Sequence[Token]) -> str:
        return str(self._html.render(tokens, md.markdown().options, {}))

    def _link_open(self, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.meta.get("dropped"):
            return ""
        attrs = f' href="{escape(self._href(token, "href"))}"'
        if token.attrGet("title"):
            attrs += f' title="{escape(str(token.attrGet("title")))}"'
        if token.meta.get("external", "").startswith("http"):
            attrs += ' rel="noopener"'
        return f"<a{attrs}>"

    def _image(self, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        alt = "".join(c.content for c in token.children or [])
        title = token.attrGet("title")
        extra = f' title="{escape(str(title))}"' if title else ""
        return f'<img src="{escape(self._href(token, "src"))}" alt="{escape(alt)}"{extra} loading="lazy">'

    def _href(self, token: Token, attr: str) -> str:
        link = token.meta.get("link")
        return self.link_url(link) if link is not None else str(token.attrGet(attr) or "")

    def _blockquote_open(self, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        kind = tokens[idx].meta.get("callout")
        if not kind:
            return "<blockquote>\n"
        return (f'<div class="callout callout-{kind}" role="note">\n'
                f'<p class="callout-label"><strong>{escape(self.callout_label(kind))}</strong></p>\n')


# --- comparing ------------------------------------------------------------------------------------

FIELDS = ("type", "tag", "nesting", "attrs", "map", "level", "content", "markup", "info", "block", "hidden")


def dump(tokens: Sequence[Token] | None) -> list[Any]:
    """Every field of every token, children included; a LinkRef as its data (it holds its token)."""
    out: list[Any] = []
    for t in tokens or []:
        meta = {k: (v.line, v.target, v.anchor, v.written) if isinstance(v, LinkRef) else v
                for k, v in t.meta.items()}
        out.append(([getattr(t, f) for f in FIELDS], meta, dump(t.children)))
    return out


def findings(parsed: Parsed) -> list[Any]:
    links = [(x.line, x.target, x.anchor, x.written) for x in parsed.links]
    return [parsed.heading_ids, parsed.headings, links, parsed.facts, parsed.external,
            parsed.prose, parsed.problems]


def renderers(cls: Any) -> tuple[Any, Any]:
    def make(hant: bool) -> Any:
        return cls(hant, lambda ref: f'<span class="fact">{ref}&amp;</span>',
                   lambda link: f"/{link.target}/" + (f"#{link.anchor}" if link.anchor else ""),
                   lambda kind: f"<{kind}>")
    return make(False), make(True)


def to_hant(texts: list[str]) -> list[str]:
    return [t.replace("中", "中國").replace("a", "&<") for t in texts]


def assert_same(body: str) -> None:
    fast, ref = md.parse(body, "content/guides/nar", 3), reference_parse(body, "content/guides/nar", 3)
    assert dump(fast.tokens) == dump(ref.tokens)
    assert findings(fast) == findings(ref)
    (fast_hans, fast_hant), (ref_hans, ref_hant) = renderers(Renderer), renderers(ReferenceRenderer)
    assert fast_hans.render(fast.tokens) == ref_hans.render(ref.tokens)
    convert_tokens(fast.tokens, to_hant)
    convert_tokens(ref.tokens, to_hant)
    assert dump(fast.tokens) == dump(ref.tokens)
    assert fast_hant.render(fast.tokens) == ref_hant.render(ref.tokens)


# --- inputs ---------------------------------------------------------------------------------------

CASES = {
    "empty": "",
    "blank lines": "\n\n  \n",
    "plain cjk": "充值余额，查询套餐。\n第二行：继续\n",
    "atx headings": "# 一\n## 二 {#two}\n### 二\n#### `code` 标题\n##### \n###### 六 ###\n####### 七\n",
    "setext headings": "标题\n===\n\n副标题\n---\n\n> 引用\n> ---\n\n- 项\n  ===\n",
    "hr": "a\n\n***\n- - -\n_ _ _\n * * *\n> ---\n- ---\n1. ***\n|---|---\n",
    "not hr": "a -- b\n**\n-- \n",
    "indented code": "    code <b>\n\tmore\n\n-     item code\n>     quoted code\n",
    "fences": "```py title\nx = 1 < 2\n```\n~~~\ntilde &amp;\n~~~\n````\n```\n````\n```\nunclosed",
    "fence info": "```&#x61;b\\_c d\n1\n```\n",
    "references": "[a][r] [r] [R][]\n\n[r]: https://www.nar.az/ \"T\"\n[x]:\n/y\n",
    "autolinks": "<https://www.nar.az/x?y=1&z> <mailto:a@b.c> <a@b.c> <javascript:alert(1)>\n",
    "entities": "&amp; &copy; &#35; &#x41; &bogus; &\n",
    "escapes": "\\* \\_ \\[x\\] \\\\ \\` \\# \\{{op.key}} \\-{x}-\n",
    "emphasis": "*a* **b** _c_ __d__ ***e*** *f _g_ h* a*b*c 中*文*字 **\n",
    "html-looking": "<b>bold</b> <!-- c --> <div>\n\n<div>\nblock\n</div>\n\na < b > c\n",
    "table": "| 项目 | 说明 |\n|:---|---:|\n| a | b |\n| `c\\|d` | {{nar.balance}} |\n\n|a|\n|-|\n",
    "table no pipes": "a | b\n--|--\n1 | 2\n",
    "nested lists": "1. 一\n   - 甲\n     - 乙\n\n   段落\n2) 二\n10. 十\n+ x\n* y\n- [!NOTE]\n",
    "loose list": "- a\n\n- b\n\n  c\n",
    "quotes": "> a\n> > b\n> - c\n>\n> d\nlazy\n",
    "callouts": "> [!NOTE]\n> 注意。\n\n> [!warning] \n> 警告\n\n> [!note]\n\n> [!TIP]\n> x\n\n> # [!NOTE]\n",
    "facts": "价格 {{nar.price}}，{{ nar.balance }}，{{bad}}，{{a.b}}{{c.d}}\n",
    "overrides": "-{维基}- -{zh-hans:公交;zh-hant:公車}- -{unclosed -{a}-\n",
    "links": ("[内部](../azercell/top-up.md#h-1) [锚](#x) [外部](https://www.nar.az/ \"标题\") "
              "[坏](javascript:alert(1)) [![图](i.png)](javascript:x) ![图](data:x) "
              "![替代 *文字*](img/a.png \"题\") [空]() [百分](a%20b.md)\n"),
    "breaks": "行一  \n行二\\\n行三\n行四\n",
    "code spans": "`a` ``b ` c`` `unclosed\n",
    "crlf and nul": "# 标题\r\n\r\n正文\r\n- 项\r\n===\r\nx\0y\r",
    "raw html warning": "文本 <script>alert(1)</script> 与 </p> 与 <!-- x -->\n",
    "images in links": "[a ![b](c.png) d](https://www.nar.az/)\n",
    "link forms": ("[a](b) [](b) [a]() [a]b](c) [a[b](c) [a]( b ) [a](<b c>) [a](b \"t\") [a](b(c)) [a](b&amp;c) [a](b\\_c) "
                   "[a](b\u3000c) [[a](b)](c) [a [b](c) d](e) *[a](b)* [a](b)(c) [a]\n(b) [a](b\n[x](y.md#%E4%B8%AD) "
                   "[a](HTTPS://WWW.NAR.AZ/%zz) [a](https://例子.测试/路径) [a](javascript:alert(1))\n"),
    "facts among harmless marks": ("价格：{{nar.price}}-{{ nar.balance }}，{{{a.b}}}}}{{x.y} {{a.b}}: #+=!@$%^~ > ] }}"
                                   " {{A.b}} {{a.b}}{{c-d.e}}{{\u3000a.b\u3000}}\n\n{{a.b}}\n\n"
                                   "| {{a.b}} | x: y! |\n|---|---|\n| - | {{ |\n"),
    # bodies sitegen.blocks tokenizes itself: the rest of the pipeline must not see a difference
    "fast blocks": ("# 标题 {#t}\n\n段落 {{nar.price}}\n第二行\n\n1. **证件**：\n   - 护照\n   - [登记](a.md#x)\n"
                    "2. 手机\n\n- 甲\n\n- 乙\n\n| 项 | 价 |\n|:--|--:|\n| a | `b\\|c` |\n| d |\n\n"
                    "> [!NOTE]\n> 注意 -{维基}-\n\n> [!WARNING]\n> - 一\n> - 二\n## 尾 ##\n"),
}


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_constructs(body: str) -> None:
    assert_same(body)


def _bodies() -> list[Path]:
    paths = [*REPO.glob("content/guides/**/*.md"), *REPO.glob("tests/fixtures/**/guides/**/*.md")]
    return sorted(p for p in paths if p.is_file())


@pytest.mark.parametrize("path", _bodies(), ids=lambda p: str(p.relative_to(REPO)))
def test_real_content(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert_same(text.split("---\n", 2)[-1])


def test_benchmark_corpus() -> None:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    assert spec and spec.loader
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    rng = random.Random(3)
    for i in range(40):
        assert_same(corpus.body(rng, i, 40))


FRAGMENTS = [
    "中文", "a", "1", " ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", "#", "## ", "-", "- ", "*", "* ", "_",
    "+ ", "=", "===", "---", "***", "> ", ">", "`", "```", "~~~", "|", "|---|", ":", "[", "]", "(", ")",
    "!", "![", "](", "]: ", "<", ">", "<b>", "&", "&amp;", "&#35;", "\\", "{{nar.balance}}", "{{",
    "}}", "-{", "}-", "-{x}-", "1. ", "2) ", "[!NOTE]", "[!warning]", "https://www.nar.az/",
    "javascript:", "x.md#a", '"', "'", "{#id}", "[a](b)", "[中](x.md)", "](y)", "\u3000",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_random_markdown(body: str) -> None:
    assert_same(body)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab中 \t\n-*_=#>`~|:[]()!<&\\{}.1", max_size=60))
def test_random_characters(body: str) -> None:
    assert_same(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["{{a.b}}", "{{ a-b.c }}", "{{x}}", "{", "}", "-", "-{", "}-", "{{", "}}", ":", "!",
                                 "#", ">", "]", ".", "中", "a", " ", "\u3000", "\n"]), max_size=30).map("".join))
def test_random_facts(body: str) -> None:
    """Text whose only markup is facts and characters no rule takes: parsed without markdown-it's inline parser."""
    assert_same(body)
