"""The configured MarkdownIt and our markdown-it-py plugins: facts, overrides, callouts, heading ids, the link policy.

A guide is parsed once (zh-Hans). Both scripts are rendered from the same tokens: what differs per script (converted
text, fact values, link URLs, callout labels) comes from the render environment, so rendering never changes a parse.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import unquote

import ada_url
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..diagnostics import Diagnostic
from ..model import source_of

ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")
CALLOUTS = {"[!warning]": "warning", "[!note]": "note"}
PAGE_IDS = frozenset({"main", "toc-title", "facts-title", "sources-title"})  # ids the templates use
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_FACT = re.compile(r"\{\{\s*([a-z0-9-]+\.[a-z0-9-]+)\s*\}\}")
_HEADING_ID = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]+")
_RAW_HTML = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9-]*|!--)")
_NOWHERE = "https://page.invalid/a/b/"  # relative links are resolved against it to find their host
RAW_HTML_MESSAGE = "raw HTML is not allowed and is shown as text; write Markdown instead"
RenderRule = Callable[[Any, Sequence[Token], int, Any, dict[str, Any]], str]


@dataclass
class LinkRef:
    """A link to a page of this site, resolved once every page is known."""

    line: int
    target: str  # repo-relative path of the target source, or '' for this page
    anchor: str
    written: str  # the URL as the author wrote it

    @property
    def source(self) -> str:
        """The source file the link names: a zh-Hant file stands for its zh-Hans source."""
        return source_of(self.target)


@dataclass
class Parsed:
    """A guide body after parsing: tokens plus what the build must check or resolve."""

    tokens: list[Token]
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, id, text
    links: list[LinkRef] = field(default_factory=list)
    facts: list[tuple[int, str]] = field(default_factory=list)  # line, ref
    external: list[tuple[int, str, str]] = field(default_factory=list)  # line, url, host
    prose: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, token type
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def heading_ids(self) -> list[str]:
        return [hid for _, hid, _ in self.headings]


@functools.cache
def markdown() -> MarkdownIt:
    """CommonMark plus tables, raw HTML off, and our rules."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(sitegen_rules)


def sitegen_rules(md: MarkdownIt) -> None:
    """The plugin: our inline and core rules, and render rules for what differs per script."""
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # the link policy judges, and warns
    md.inline.ruler.before("emphasis", "fact", _fact)
    md.inline.ruler.before("emphasis", "override", _override)
    for name, core in (("walk", _walk), ("callouts", _callouts), ("ids", _heading_ids), ("th", _th_scope)):
        md.core.ruler.push(f"sitegen_{name}", core)  # after text_join: text runs are whole
    rules: dict[str, RenderRule] = {
        "fact": lambda _, tokens, i, o, env: str(env["fact"](tokens[i].meta["ref"])),
        "override": lambda _, tokens, i, o, env: escape(tokens[i].meta["zh-hant" if env["hant"] else "zh-hans"]),
        "text": lambda _, tokens, i, o, env: escapeHtml(env["text"](tokens[i].content)),
        "link_open": _link_open,
        "link_close": lambda _, tokens, i, o, env: "" if tokens[i].meta.get("dropped") else "</a>",
        "image": _image,
        "blockquote_open": _blockquote_open,
        "blockquote_close": lambda _, tokens, i, o, env: (
            "</div>\n" if tokens[i].meta.get("callout") else "</blockquote>\n"
        ),
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)


def parse(body: str, src: str, first_line: int) -> Parsed:
    """Parse the body of the file src (its repo-relative path: relative links start there)."""
    parsed = Parsed([])
    parsed.tokens = markdown().parse(body, {"parsed": parsed, "src": src, "line": first_line})
    return parsed


def render(tokens: Sequence[Token], env: dict[str, Any]) -> str:
    """HTML of tokens; env gives 'text' (str -> str, the script's conversion), 'fact' (ref -> HTML),
    'url' (LinkRef -> URL), 'label' (callout kind -> text) and 'hant' (bool)."""
    md = markdown()
    return str(md.renderer.render(tokens, md.options, env))


def texts_to_convert(tokens: Sequence[Token]) -> list[str]:
    """What a zh-Hant rendering converts: text (image alt too), link titles; never code, URLs, facts or overrides."""
    found: list[str] = []
    for child in (c for block in tokens for c in block.children or []):
        if child.type == "text":
            found.append(child.content)
        elif child.type == "image":
            found += [c.content for c in child.children or [] if c.type == "text"]
        if child.type in ("link_open", "image") and child.attrGet("title"):
            found.append(str(child.attrGet("title")))
    return found


def slugify(text: str) -> str:
    """A stable id from heading text: lowercase letters, digits and CJK, '-' between words."""
    slug = "-".join(_WORD.findall(text.lower()))[:80]
    return f"h-{slug}" if slug[:1].isdigit() else slug  # ids that start with a letter work as CSS selectors


# --- inline rules ---------------------------------------------------------------------------
def _fact(state: StateInline, silent: bool) -> bool:
    """{{operator.key}}: a fact's value, looked up when rendering."""
    match = _FACT.match(state.src, state.pos) if state.src.startswith("{{", state.pos) else None
    if match and not silent:
        token = state.push("fact", "", 0)
        token.meta, token.content = {"ref": match.group(1)}, match.group(0)
    state.pos = match.end() if match else state.pos
    return match is not None


def _override(state: StateInline, silent: bool) -> bool:
    """-{text}- keeps text unconverted; -{zh-hans:a;zh-hant:b}- chooses per script."""
    end = state.src.find("}-", state.pos + 2) if state.src.startswith("-{", state.pos) else -1
    if end >= 0 and not silent:
        inner = state.src[state.pos + 2 : end]
        parts = dict(p.split(":", 1) for p in inner.split(";") if ":" in p)
        token = state.push("override", "", 0)
        token.meta = parts if set(parts) == {"zh-hans", "zh-hant"} else {"zh-hans": inner, "zh-hant": inner}
        token.content = inner
    state.pos = end + 2 if end >= 0 else state.pos
    return end >= 0


# --- core rules over the token stream ---------------------------------------------------------
def _walk(state: StateCore) -> None:
    """Facts, links and prose with their source lines; the link policy; raw HTML warnings."""
    parsed, src = state.env["parsed"], state.env["src"]
    for block in (b for b in state.tokens if b.type == "inline"):
        first = line = state.env["line"] + (block.map[0] if block.map else 0)
        dropped, cursor = False, 0
        for child in block.children or []:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "fact":
                parsed.facts.append((line, child.meta["ref"]))
            elif kind in ("link_open", "image"):  # reported where its URL is written
                at = _url_at(block.content, str(child.attrGet("href") or child.attrGet("src") or ""), cursor)
                cursor = max(at, cursor)
                _link_policy(child, first + block.content.count("\n", 0, at) if at >= 0 else line, parsed, src)
                dropped = kind == "link_open" and bool(child.meta.get("dropped"))
            elif kind == "link_close" and dropped:
                child.meta["dropped"], dropped = True, False  # a removed link loses its closing tag too
            if kind in ("text", "code_inline"):
                parsed.prose.append((line, child.content, kind))
            if kind == "text" and _RAW_HTML.search(child.content):
                parsed.diagnostics.append(Diagnostic(src, line, RAW_HTML_MESSAGE, "warning", "raw-html"))


def _url_at(content: str, url: str, start: int) -> int:
    """Where a link's URL is written in the block's source (from start, within a window: linear time), or -1."""
    found = content.find(url, start, start + 4096)
    return found if found >= 0 or not url else content.find(unquote(url), start, start + 4096)


def _link_policy(token: Token, line: int, parsed: Parsed, src: str) -> None:
    """Read each link as a browser would (so a scheme without '//' is an error: http:evil.example is a host); a link
    to another host is external (the allow-list applies), the rest links to a source file."""
    url = str(token.attrGet("src" if token.type == "image" else "href") or "")
    name = m.group(1).lower() if (m := _SCHEME.match(url)) else ""
    problem = None
    if name and name not in ALLOWED_SCHEMES:
        message = f"link scheme '{name}:' is not allowed (use {', '.join(ALLOWED_SCHEMES)} or a relative link); the link was removed"
        problem = Diagnostic(src, line, message, "warning", "link-scheme")
    elif name in ("http", "https") and not url[len(name) + 1 :].startswith("//"):
        message = f"link '{url}' has a scheme but no '//', which browsers read as another site; write '{name}://host/path' or a relative link"
        problem = Diagnostic(src, line, message)
    if problem is not None:
        parsed.diagnostics.append(problem)
        token.meta["dropped"] = True
        return
    try:
        host = ada_url.URL(url, base=_NOWHERE).hostname
    except ValueError:
        host = ""
    if name or host != "page.invalid":
        token.meta["external"] = url
        parsed.external.append((line, url, host))
        return
    path, _, anchor = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(path))) if path else ""
    token.meta["link"] = LinkRef(line, target, unquote(anchor), unquote(url))
    parsed.links.append(token.meta["link"])


def _callouts(state: StateCore) -> None:
    """A blockquote that starts with [!WARNING] or [!NOTE] is a callout; the marker goes."""
    tokens, opened = state.tokens, list[Token]()
    for i, token in enumerate(tokens):
        if token.type == "blockquote_close":
            token.meta["callout"] = opened.pop().meta.get("callout")
        if token.type != "blockquote_open":
            continue
        opened.append(token)
        inline = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 2].type == "inline" else None
        children = inline.children if inline is not None and inline.children else []
        first = children[0].content.strip().lower() if children and children[0].type == "text" else ""
        if first in CALLOUTS and inline is not None:
            token.meta["callout"] = CALLOUTS[first]
            inline.children = children[2 if len(children) > 1 and children[1].type == "softbreak" else 1 :]


def _heading_ids(state: StateCore) -> None:
    """Ids from the heading text (or '{#id}'), unique on the page and apart from the page's own."""
    used, parsed = set(PAGE_IDS), state.env["parsed"]
    for token, inline in zip(state.tokens, state.tokens[1:], strict=False):
        if token.type != "heading_open":
            continue
        children = inline.children or []
        explicit = _HEADING_ID.search(children[-1].content) if children and children[-1].type == "text" else None
        if explicit:
            children[-1].content = children[-1].content[: explicit.start()]
        text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        base = explicit.group(1) if explicit else slugify(text) or "section"
        heading_id, n = base, 2
        while heading_id in used:
            heading_id, n = f"{base}-{n}", n + 1
        used.add(heading_id)
        token.attrSet("id", heading_id)
        parsed.headings.append((int(token.tag[1]), heading_id, text))


def _th_scope(state: StateCore) -> None:
    """Markdown tables put <th> only in the header row: each is a column header."""
    for token in (t for t in state.tokens if t.type == "th_open"):
        token.attrs = {"scope": "col", **token.attrs}


# --- rendering what differs per script --------------------------------------------------------
def _link_open(_: Any, tokens: Sequence[Token], i: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[i]
    if token.meta.get("dropped"):
        return ""
    title = f' title="{escape(env["text"](str(token.attrGet("title"))))}"' if token.attrGet("title") else ""
    rel = ' rel="noopener"' if token.meta.get("external", "").startswith("http") else ""
    return f'<a href="{escape(_href(token, "href", env))}"{title}{rel}>'


def _image(_: Any, tokens: Sequence[Token], i: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[i]
    alt = "".join(env["text"](c.content) if c.type == "text" else c.content for c in token.children or [])
    if token.meta.get("dropped"):
        return escapeHtml(alt)
    title = f' title="{escape(env["text"](str(token.attrGet("title"))))}"' if token.attrGet("title") else ""
    return f'<img src="{escape(_href(token, "src", env))}" alt="{escape(alt)}"{title} loading="lazy">'


def _href(token: Token, attr: str, env: dict[str, Any]) -> str:
    link = token.meta.get("link")
    return str(env["url"](link)) if link is not None else str(token.attrGet(attr) or "")


def _blockquote_open(_: Any, tokens: Sequence[Token], i: int, options: Any, env: dict[str, Any]) -> str:
    kind = tokens[i].meta.get("callout")
    if not kind:
        return "<blockquote>\n"
    label = escape(env["label"](kind))
    return f'<div class="callout callout-{kind}" role="note">\n<p class="callout-label"><strong>{label}</strong></p>\n'
