"""The configured MarkdownIt and our rules: facts, overrides, links, heading ids, callouts.

A guide is parsed once (zh-Hans). Its zh-Hant page comes from converting the text
tokens of that same parse, so both scripts share structure, heading ids and links.

Parsing is most of a guide's cost, so each body gets a MarkdownIt with only the rules that
could match in it, a body made only of common blocks skips markdown-it's block parser
(sitegen.blocks), and the renderer is a plain loop. The output is exactly that of the full
MarkdownIt and markdown-it's RendererHTML: tests/test_markdown_speed_equivalence.py checks it.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from markdown_it.common.utils import escapeHtml
from markdown_it.parser_block import RuleFuncBlockType
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import block as block_pass
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from sitegen import blocks

ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")
CALLOUTS = {"[!warning]": "warning", "[!note]": "note"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_FACT = re.compile(r"\{\{\s*([a-z0-9-]+\.[a-z0-9-]+)\s*\}\}")
_HEADING_ID = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]+")
_QUOTE_TYPES = ("blockquote_open", "blockquote_close")
_RAW_HTML = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9-]*|!--)")
RAW_HTML_MESSAGE = "raw HTML is not allowed and is shown as text; write Markdown instead"


@dataclass
class LinkRef:
    """A link found in a guide, resolved later against every page."""

    line: int
    target: str  # repo-relative path of the target source, or '' for this page
    anchor: str
    token: Token
    written: str  # the URL as the author wrote it


@dataclass
class Parsed:
    """A guide body after parsing: tokens plus what the build must check or resolve."""

    tokens: list[Token]
    heading_ids: list[str] = field(default_factory=list)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, id, text
    links: list[LinkRef] = field(default_factory=list)
    facts: list[tuple[int, str]] = field(default_factory=list)  # line, ref
    external: list[tuple[int, str]] = field(default_factory=list)  # line, url
    prose: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, token type
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, kind, message (warnings)


@functools.cache
def markdown() -> MarkdownIt:
    """CommonMark plus tables, with raw HTML off and our inline rules."""
    return _configured(frozenset())


# A rule is tried wherever its marker might start, so a body that cannot contain the marker
# pays for nothing if the rule is left out. Each test below is true for every body in which
# its rule could match, so leaving a rule out never changes the tokens. Tests run on
# "\n" + body + "\n"; block markers follow a container prefix (indent, '>', list markers).
# Single characters are searched first: that is ten times faster than a pair or a regex.
# The html rules never match: html is off.
_PREFIX = r"\n(?:[ \t>]|(?:[*+-]|[0-9]{1,9}[.)])[ \t])*"
_HR = re.compile(_PREFIX + r"([*_-])(?:[ \t]*\1){2,}[ \t]*\n")
_SETEXT = re.compile(r"\n[ \t>]*(?:=+|-+)[ \t]*\n")  # an underline is never a list item's first line
_MARK_ENDS_LINE = re.compile(r"\n(?<=[-=*_ \t]\n)")  # hr and underlines end so: a quick first test
_LIST = re.compile(r"\n[ \t>]*(?:[*+-]|[0-9]{1,9}[.)])[ \t\n]")
_MAY_MATCH: tuple[tuple[tuple[str, ...], Callable[[str], bool]], ...] = (
    (("table",), lambda s: "|" in s),
    (("code",), lambda s: "    " in s or "\t" in s),
    (("fence",), lambda s: ("`" in s and "```" in s) or ("~" in s and "~~~" in s)),
    (("blockquote",), lambda s: ">" in s),
    (("hr",), lambda s: _MARK_ENDS_LINE.search(s) is not None and _HR.search(s) is not None),
    (("list",), lambda s: _LIST.search(s) is not None),
    (("reference",), lambda s: "]:" in s),
    (("heading",), lambda s: "#" in s),
    (("lheading",), lambda s: _MARK_ENDS_LINE.search(s) is not None and _SETEXT.search(s) is not None),
    (("escape",), lambda s: "\\" in s),
    (("backticks",), lambda s: "`" in s),
    (("emphasis", "balance_pairs"), lambda s: "*" in s or "_" in s),
    (("link", "simple_link"), lambda s: "[" in s),
    (("image",), lambda s: "!" in s and "![" in s),
    (("autolink",), lambda s: "<" in s),
    (("entity",), lambda s: "&" in s),
    (("text_join",), lambda s: "\\" in s or "&" in s),  # only escapes and entities need joining
    (("fact",), lambda s: "{" in s and "{{" in s),
    (("override",), lambda s: "{" in s and "-{" in s),
)
_NEVER = ("html_block", "html_inline")
_NEWLINES = re.compile(r"\r\n?")
# markdown-it's text rule runs to the next of these characters; only there can another rule match
_MARKUP = r"\n!#$%&*+\-:<=>@\[\\\]^_`{}~"
_MARKUP_CHARS = re.compile(f"[{_MARKUP}]")
# Of those, where a rule other than _fact_rule could match (softbreaks, escapes, entities, code,
# emphasis, links and images, autolinks; overrides at "-{"): text without them is text and facts.
_INLINE_MARKUP = re.compile(r"[\n\\&`*_\[<]")


def _for_body(body: str) -> MarkdownIt:
    """The configured MarkdownIt without the rules that cannot match in body."""
    lines = f"\n{body}\n"
    unused = [name for names, may_match in _MAY_MATCH if not may_match(lines) for name in names]
    return _configured(frozenset([*_NEVER, *unused]))


@functools.lru_cache(maxsize=64)
def _configured(unused: frozenset[str]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # schemes are checked in _check_link
    md.inline.ruler.before("emphasis", "fact", _fact_rule)
    md.inline.ruler.before("emphasis", "override", _override_rule)
    if unused:  # markdown() keeps markdown-it's own rules: it is the reference the tests compare with
        md.core.ruler.at("block", _block_pass)
        md.core.ruler.at("inline", _inline_pass)
        md.inline.ruler.before("link", "simple_link", _simple_link_rule)
        md.normalizeLink = _normalize_link  # type: ignore[method-assign]
        _gate_block_rules(md)
        md.disable(list(unused))
    return md


# Where a line's content starts, the characters each block rule needs there. The rules check
# that only after a debug log call and some lookups, on every line and for every paragraph line
# that another block might interrupt; the gates fail first, exactly where the rule would.
_FIRST_CHARS = {"blockquote": ">", "heading": "#", "list": "0123456789*+-", "hr": "*-_", "fence": "`~",
                "reference": "["}


def _gate_block_rules(md: MarkdownIt) -> None:
    ruler = md.block.ruler
    gates = [(name, chars, 0) for name, chars in _FIRST_CHARS.items()] + [("table", "|-:", 1)]
    for name, chars, offset in gates:  # a table's gate looks at its second line, the delimiter row
        rule = ruler.__rules__[ruler.__find__(name)]
        ruler.at(name, _gated(rule.fn, chars, offset), {"alt": rule.alt})


def _gated(rule: RuleFuncBlockType, chars: str, offset: int) -> RuleFuncBlockType:
    """rule, tried only if line + offset starts with one of chars (it would fail otherwise)."""
    def gated(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        if line + offset >= end:
            return False
        pos = state.bMarks[line + offset] + state.tShift[line + offset]
        return pos < state.eMarks[line + offset] and state.src[pos] in chars and rule(state, line, end, silent)
    return gated


def _block_pass(state: StateCore) -> None:
    """markdown-it's block pass, by sitegen.blocks where the body is made only of what it knows."""
    tokens = None if state.inlineMode else blocks.tokenize(state.src)
    if tokens is None:
        block_pass(state)
    else:
        state.tokens.extend(tokens)


def _inline_pass(state: StateCore) -> None:
    """markdown-it's inline pass, except that text where only facts can match is split here."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if not _MARKUP_CHARS.search(content):  # most text: one search, one token
            if content:
                token.children.append(_text(content))
        elif _INLINE_MARKUP.search(content) or "-{" in content:
            state.md.inline.parse(content, state.md, state.env, token.children)
        else:
            _text_and_facts(content, token.children)


def _text_and_facts(content: str, children: list[Token]) -> None:
    """The tokens markdown-it's inline parser gives for content without _INLINE_MARKUP or "-{"."""
    pos = 0
    if "{{" in content:  # _fact_rule is tried at every '{' outside a fact, as finditer tries
        for match in _FACT.finditer(content):
            if match.start() > pos:
                children.append(_text(content[pos:match.start()]))
            fact = Token("fact", "", 0)
            fact.meta = {"ref": match.group(1)}
            fact.content = match.group(0)
            children.append(fact)
            pos = match.end()
    if pos < len(content):
        children.append(_text(content[pos:]))


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def parse(body: str, src_dir: str, first_line: int) -> Parsed:
    """Parse a body; src_dir is the repo-relative folder of the file, for relative links."""
    body = _NEWLINES.sub("\n", body)  # as markdown-it's normalize does, so line tests see \n only
    tokens = _for_body(body).parse(body, {})
    parsed = Parsed(tokens)
    _walk_inline(tokens, parsed, first_line, src_dir)
    _assign_heading_ids(tokens, parsed)
    _mark_callouts(tokens)
    return parsed


# --- inline rules -------------------------------------------------------------------------

# [text](url) with plain text and a plain url: what markdown-it's link rule finds there, without
# its character-by-character scanners; any other link is left to that rule.
_SIMPLE_LINK = re.compile(rf"\[([^{_MARKUP}]*)\]\(([^\s()<>\\&\x00-\x1f\x7f]+)\)")
_normalize_link = functools.lru_cache(maxsize=4096)(normalize_url.normalizeLink)  # guides share targets


def _simple_link_rule(state: StateInline, silent: bool) -> bool:
    match = _SIMPLE_LINK.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    href = state.md.normalizeLink(match.group(2))
    if not state.md.validateLink(href):
        return False
    if not silent:
        end = state.posMax
        state.pos, state.posMax = match.start(1), match.end(1)
        state.push("link_open", "a", 1).attrs = {"href": href}
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.push("link_close", "a", -1)
        state.posMax = end
    state.pos = match.end()
    return True


def _fact_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = _FACT.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("fact", "", 0)
        token.meta = {"ref": match.group(1)}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _override_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("-{", state.pos):
        return False
    end = state.src.find("}-", state.pos + 2)
    if end < 0:
        return False
    inner = state.src[state.pos + 2:end]
    if not silent:
        token = state.push("override", "", 0)
        token.meta = _split_override(inner)
        token.content = inner
    state.pos = end + 2
    return True


def _split_override(inner: str) -> dict[str, str]:
    """'-{x}-' keeps x in both scripts; '-{zh-hans:a;zh-hant:b}-' picks per script."""
    parts = dict(p.split(":", 1) for p in inner.split(";") if ":" in p)
    if set(parts) == {"zh-hans", "zh-hant"}:
        return {"hans": parts["zh-hans"], "hant": parts["zh-hant"]}
    return {"hans": inner, "hant": inner}


# --- core passes over the token stream ------------------------------------------------------

def _walk_inline(tokens: list[Token], parsed: Parsed, first_line: int, src_dir: str) -> None:
    for block in tokens:
        if block.type != "inline" or block.children is None:
            continue
        line = first_line + (block.map[0] if block.map else 0)
        dropped = False
        for child in block.children:
            kind = child.type
            if kind == "softbreak" or kind == "hardbreak":
                line += 1
            elif kind == "fact":
                parsed.facts.append((line, child.meta["ref"]))
            elif kind == "link_open":
                _check_link(child, line, parsed, src_dir)
                dropped = bool(child.meta.get("dropped"))
            elif kind == "link_close" and dropped:
                child.meta["dropped"], dropped = True, False  # a removed link loses its closing tag too
            elif kind == "image":
                _check_link(child, line, parsed, src_dir)
                kind = child.type  # a removed image becomes text
            if kind == "text" or kind == "code_inline":
                parsed.prose.append((line, child.content, kind))
            if kind == "text" and _RAW_HTML.search(child.content):
                parsed.problems.append((line, "raw-html", RAW_HTML_MESSAGE))


def _check_link(token: Token, line: int, parsed: Parsed, src_dir: str) -> None:
    attr = "src" if token.type == "image" else "href"
    url = str(token.attrGet(attr) or "")
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
        message = (f"link scheme '{scheme.group(1).lower()}:' is not allowed (use "
                   f"{', '.join(ALLOWED_SCHEMES)} or a relative link); the link was removed")
        parsed.problems.append((line, "link-scheme", message))
        _neutralise(token)
    elif scheme:
        token.meta["external"] = url
        parsed.external.append((line, url))
    else:
        _internal(token, url, line, parsed, src_dir)


def _neutralise(token: Token) -> None:
    if token.type == "image":
        token.type, token.tag, token.attrs = "text", "", {}
        token.content = "".join(c.content for c in token.children or [])
        token.children = None
    else:
        token.meta["dropped"] = True


def _internal(token: Token, url: str, line: int, parsed: Parsed, src_dir: str) -> None:
    path, _, anchor = url.partition("#")
    path = unquote(path)
    target = posixpath.normpath(posixpath.join(src_dir, path)) if path else ""
    link = LinkRef(line, target, unquote(anchor), token, unquote(url))
    token.meta["link"] = link
    parsed.links.append(link)


def _assign_heading_ids(tokens: list[Token], parsed: Parsed) -> None:
    used: set[str] = set()
    for i in [i for i, token in enumerate(tokens) if token.type == "heading_open"]:
        token, inline = tokens[i], tokens[i + 1]
        explicit = _take_explicit_id(inline)
        text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
        base = explicit or slugify(text) or "section"
        heading_id, n = base, 2
        while heading_id in used:
            heading_id, n = f"{base}-{n}", n + 1
        used.add(heading_id)
        token.attrSet("id", heading_id)
        parsed.heading_ids.append(heading_id)
        parsed.headings.append((int(token.tag[1]), heading_id, text))


def _take_explicit_id(inline: Token) -> str | None:
    children = inline.children or []
    if children and children[-1].type == "text":
        match = _HEADING_ID.search(children[-1].content)
        if match:
            children[-1].content = children[-1].content[: match.start()]
            return match.group(1)
    return None


def slugify(text: str) -> str:
    """A stable id from heading text: lowercase letters, digits and CJK, '-' between words."""
    words = _WORD.findall(text.lower())
    slug = "-".join(words)[:80]
    return f"h-{slug}" if slug[:1].isdigit() else slug  # ids that start with a letter work as CSS selectors too


def _mark_callouts(tokens: list[Token]) -> None:
    opened: list[Token] = []
    for i in [i for i, token in enumerate(tokens) if token.type in _QUOTE_TYPES]:
        token = tokens[i]
        if token.type == "blockquote_close":
            token.meta["callout"] = opened.pop().meta.get("callout")
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


# --- zh-Hant from the same tokens -----------------------------------------------------------

def convertible(tokens: Sequence[Token]) -> list[tuple[Token, str]]:
    """(token, field) pairs holding text to convert: text, image alt, link titles."""
    found: list[tuple[Token, str]] = []
    for block in tokens:
        for child in block.children or []:
            kind = child.type
            if kind == "text":
                found.append((child, "content"))
                continue
            if kind == "image":
                found.extend((c, "content") for c in child.children or [] if c.type == "text")
            if (kind == "link_open" or kind == "image") and child.attrGet("title"):
                found.append((child, "title"))
    return found


def convert_tokens(tokens: Sequence[Token], convert_many: Callable[[list[str]], list[str]]) -> None:
    """Turn a zh-Hans token stream into zh-Hant in place (text only; never code or URLs)."""
    targets = convertible(tokens)
    texts = [str(t.content if f == "content" else t.attrGet("title")) for t, f in targets]
    for (token, fld), new in zip(targets, convert_many(texts)):
        if fld == "content":
            token.content = new
        else:
            token.attrSet("title", new)


# --- rendering --------------------------------------------------------------------------------

# Tags that markdown-it's RendererHTML writes with its generic renderToken: _tag does the same.
_PLAIN_TAGS = (
    "paragraph", "heading", "bullet_list", "ordered_list", "table", "thead", "tbody", "tr", "th",
    "td", "em", "strong", "s",
)
_TAG_TYPES = frozenset({f"{tag}_{end}" for tag in _PLAIN_TAGS for end in ("open", "close")} | {"list_item_close"})
Rule = Callable[[Sequence[Token], int], str]


class Renderer:
    """Renders tokens for one locale; fact and link lookups are passed in by the caller.

    The HTML is markdown-it's RendererHTML's with our rules, written by one loop with a rule per
    token type: RendererHTML's generic path costs about twice as much per token.
    """

    def __init__(self, hant: bool, fact_html: Callable[[str], str],
                 link_url: Callable[[LinkRef], str], callout_label: Callable[[str], str]) -> None:
        self.hant, self.fact_html, self.link_url = hant, fact_html, link_url
        self.callout_label = callout_label
        self._options = markdown().options
        self._stock = RendererHTML()  # token types our content rarely has: fences, code blocks
        self._br = "<br />\n" if self._options["xhtmlOut"] else "<br>\n"
        self._rules: dict[str, Rule] = {
            **{f"{tag}_{end}": self._tag for tag in _PLAIN_TAGS for end in ("open", "close")},
            "hr": self._tag,
            "list_item_open": self._list_item_open,
            "list_item_close": self._tag,
            "text": lambda tokens, idx: escapeHtml(tokens[idx].content),
            "softbreak": lambda tokens, idx: self._br if self._options["breaks"] else "\n",
            "hardbreak": lambda tokens, idx: self._br,
            "code_inline": self._code_inline,
            "fact": lambda tokens, idx: self.fact_html(tokens[idx].meta["ref"]),
            "override": lambda tokens, idx: escape(tokens[idx].meta["hant" if self.hant else "hans"]),
            "link_open": self._link_open,
            "link_close": lambda tokens, idx: "" if tokens[idx].meta.get("dropped") else "</a>",
            "image": self._image,
            "blockquote_open": self._blockquote_open,
            "blockquote_close": lambda tokens, idx: (
                "</div>\n" if tokens[idx].meta.get("callout") else "</blockquote>\n"),
        }

    def render(self, tokens: Sequence[Token]) -> str:
        out: list[str] = []
        append, rules, fallback = out.append, self._rules, self._fallback
        for idx, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    append(self._render_inline(token.children))
            elif kind in _TAG_TYPES and token.block and not token.attrs:  # most block tokens: _tag, inline
                if token.hidden:  # the paragraphs of a tight list
                    continue
                nesting = token.nesting
                if nesting == -1:
                    append(f"</{token.tag}>\n")
                elif nesting == 1 and idx + 1 < len(tokens):
                    append(self._open_tag(tokens, idx, token.tag))
                else:
                    append(self._tag(tokens, idx))
            else:
                append(rules.get(kind, fallback)(tokens, idx))
        return "".join(out)

    @staticmethod
    def _open_tag(tokens: Sequence[Token], idx: int, name: str) -> str:
        """_tag for an opening block tag without attributes that is not the last token."""
        html = "\n<" + name if idx and tokens[idx - 1].hidden else "<" + name
        following = tokens[idx + 1]
        if following.type == "inline" or following.hidden or (following.nesting == -1 and following.tag == name):
            return html + ">"
        return html + ">\n"

    def _render_inline(self, children: list[Token]) -> str:
        out: list[str] = []
        append, rules, fallback = out.append, self._rules, self._fallback
        for idx, token in enumerate(children):
            if token.type == "text":  # most tokens: skip the lookup, and escaping where nothing needs it
                text = token.content
                append(escapeHtml(text) if "&" in text or "<" in text or ">" in text or '"' in text else text)
            else:
                append(rules.get(token.type, fallback)(children, idx))
        return "".join(out)

    def _fallback(self, tokens: Sequence[Token], idx: int) -> str:
        rule = self._stock.rules.get(tokens[idx].type)
        if rule is not None:
            return str(rule(tokens, idx, self._options, {}))
        return self._stock.renderToken(tokens, idx, self._options, {})

    def _tag(self, tokens: Sequence[Token], idx: int) -> str:
        """RendererHTML.renderToken: the tag, and a newline after block tags unless inline follows."""
        token = tokens[idx]
        if token.hidden:  # the paragraphs of a tight list
            return ""
        if token.nesting == -1 and token.block and not token.attrs:  # half of all tags: the short way
            return f"</{token.tag}>\n"
        html = ("</" if token.nesting == -1 else "<") + token.tag
        if token.attrs:
            html += "".join(f' {escapeHtml(k)}="{escapeHtml(str(v))}"' for k, v in token.attrs.items())
        if token.nesting == 0 and self._options["xhtmlOut"]:
            html += " /"
        if not token.block:
            return html + ">"
        if token.nesting != -1 and idx and tokens[idx - 1].hidden:
            html = "\n" + html
        if token.nesting == 1 and idx + 1 < len(tokens):
            following = tokens[idx + 1]
            if following.type == "inline" or following.hidden or (
                    following.nesting == -1 and following.tag == token.tag):
                return html + ">"
        return html + ">\n"

    def _list_item_open(self, tokens: Sequence[Token], idx: int) -> str:
        if "checked" in tokens[idx].meta:  # task list items: not ours, but render them as markdown-it does
            return self._fallback(tokens, idx)
        return self._tag(tokens, idx)

    def _code_inline(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        attrs = "".join(f' {escapeHtml(k)}="{escapeHtml(str(v))}"' for k, v in token.attrs.items())
        return f"<code{attrs}>{escapeHtml(token.content)}</code>"

    def _link_open(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        if token.meta.get("dropped"):
            return ""
        href = self._href(token, "href")
        title = token.attrGet("title")
        attrs = f' href="{escape(href)}"'
        if title:
            attrs += f' title="{escape(str(title))}"'
        if token.meta.get("external", "").startswith("http"):
            attrs += ' rel="noopener"'
        return f"<a{attrs}>"

    def _image(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        alt = "".join(c.content for c in token.children or [])
        title = token.attrGet("title")
        extra = f' title="{escape(str(title))}"' if title else ""
        return f'<img src="{escape(self._href(token, "src"))}" alt="{escape(alt)}"{extra} loading="lazy">'

    def _href(self, token: Token, attr: str) -> str:
        link = token.meta.get("link")
        return self.link_url(link) if link is not None else str(token.attrGet(attr) or "")

    def _blockquote_open(self, tokens: Sequence[Token], idx: int) -> str:
        kind = tokens[idx].meta.get("callout")
        if not kind:
            return "<blockquote>\n"
        return (f'<div class="callout callout-{kind}" role="note">\n'
                f'<p class="callout-label"><strong>{escape(self.callout_label(kind))}</strong></p>\n')
