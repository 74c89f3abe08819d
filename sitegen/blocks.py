"""A line-based block tokenizer for the Markdown guides are written in, or None.

markdown-it's block parser tries every rule on every line; most of a guide's parse goes there.
Guides use a few constructs, each recognisable from its line alone: headings, paragraphs,
one-line list items (with one level of one-line bullet items under them), pipe tables and '>'
callouts. tokenize() gives, for a body made only of those, exactly the tokens markdown-it's
block parser gives (before the inline pass), and None for anything else: indentation, tabs,
fences, rules, setext underlines, lazy continuation lines, reference definitions, lines that
might open another block. Then markdown-it parses the body.
tests/test_blocks.py compares both on every guide and on generated near misses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.common.utils import mdTrim
from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit
from markdown_it.token import Token

# What a line can be, from the line alone. OTHER is anything not handled here: the caller gives up.
BLANK, TEXT, HEADING, QUOTE, BULLET, ORDERED, ROW, DELIMITER, OTHER = range(9)
_HEADING = re.compile(r"#{1,6}(?= |$)")
_ORDERED = re.compile(r"([0-9]{1,9})([.)])(?: |$)")
_HR = re.compile(r"([*_-])(?: *\1){2,} *")
_DELIMITER = re.compile(r"[-:|][-:| ]*")  # any line a table could take as its delimiter row, and more
_ALIGN = re.compile(r":?-+:?")
_MAX_DEPTH = 8  # nested quotes; markdown-it stops at level 20


def tokenize(src: str) -> list[Token] | None:
    """markdown-it's block tokens for src (normalised), or None if src uses anything else."""
    if "\t" in src or "]:" in src:  # tabs change indentation; "]:" may define a reference
        return None
    lines = src.split("\n")
    if not lines[-1].strip(" "):  # markdown-it gives no line for what follows the last "\n" if blank
        lines.pop()
    out: list[Token] = []
    return out if _blocks(lines, 0, 0, out) else None


def _kind(line: str) -> int:
    if not line:
        return BLANK
    classify = _BY_FIRST.get(line[0])
    return TEXT if classify is None else classify(line)


def _dash(line: str) -> int:
    if _HR.fullmatch(line):
        return OTHER
    if _DELIMITER.fullmatch(line):
        return DELIMITER
    return BULLET if line[1:2] in ("", " ") else TEXT


def _star(line: str) -> int:
    if _HR.fullmatch(line):
        return OTHER
    return BULLET if line[1:2] in ("", " ") else TEXT


def _digit(line: str) -> int:
    return ORDERED if _ORDERED.match(line) else TEXT


_BY_FIRST: dict[str, Callable[[str], int]] = {
    " ": lambda line: BLANK if not line.strip(" ") else OTHER,  # indentation: code, lazy or nested
    "#": lambda line: HEADING if _HEADING.match(line) else OTHER,
    ">": lambda line: QUOTE,
    "|": lambda line: DELIMITER if _DELIMITER.fullmatch(line) else ROW,
    ":": lambda line: DELIMITER if _DELIMITER.fullmatch(line) else TEXT,
    "-": _dash,
    "*": _star,
    "+": lambda line: BULLET if line[1:2] in ("", " ") else TEXT,
    "_": lambda line: OTHER if _HR.fullmatch(line) else TEXT,
    "=": lambda line: OTHER,  # a setext underline, perhaps
    "`": lambda line: OTHER if line.startswith("```") else TEXT,
    "~": lambda line: OTHER if line.startswith("~~~") else TEXT,
    **{digit: _digit for digit in "0123456789"},
}


_new = Token.__new__


def _token(out: list[Token], kind: str, tag: str, nesting: int, level: int,
           lines: list[int] | None = None, markup: str = "") -> Token:
    """A block token as StateBlock.push makes it; Token() costs twice as much (__post_init__)."""
    token = _new(Token)
    token.type = kind  # one statement each: a third faster than tuple assignments
    token.tag = tag
    token.nesting = nesting  # type: ignore[assignment]
    token.attrs = {}
    token.map = lines
    token.level = level
    token.children = None
    token.content = ""
    token.markup = markup
    token.info = ""
    token.meta = {}
    token.block = True
    token.hidden = False
    out.append(token)
    return token


def _inline(out: list[Token], content: str, level: int, lines: list[int]) -> None:
    token = _token(out, "inline", "", 0, level, lines)
    token.content, token.children = content, []


Block = Callable[[list[str], list[int], int, int, int, list[Token]], int]


def _blocks(lines: list[str], base: int, level: int, out: list[Token]) -> bool:
    """Tokens for lines (line numbers from base) at level; False if unsure."""
    kinds = [_kind(line) for line in lines]
    i, n = 0, len(lines)
    while i < n:
        kind = kinds[i]
        if kind == BLANK:
            i += 1
            continue
        block = _BLOCKS.get(kind)
        if block is None:
            return False
        i = block(lines, kinds, i, base, level, out)
        if i < 0:
            return False
    return True


def _paragraph(lines: list[str], kinds: list[int], i: int, base: int, level: int, out: list[Token]) -> int:
    end = _paragraph_end(lines, kinds, i + 1)
    if end < 0:
        return -1
    span = [base + i, base + end]
    _token(out, "paragraph_open", "p", 1, level, span)
    _inline(out, mdTrim("\n".join(lines[i:end])), level + 1, list(span))
    _token(out, "paragraph_close", "p", -1, level)
    return end


def _paragraph_end(lines: list[str], kinds: list[int], j: int) -> int:
    """The line that ends a paragraph continued at j, or -1 if unsure."""
    n = len(lines)
    while j < n:
        kind = kinds[j]
        if kind == TEXT:
            j += 1
        elif kind == BLANK or kind == HEADING or kind == QUOTE:
            return j
        elif kind == BULLET or kind == ORDERED:
            # a list interrupts a paragraph only with a first item that is not empty and, if
            # ordered, starts at 1; otherwise the line is just more paragraph text
            marker, _, content = _marker(lines[j], kind)
            if not content.strip(" "):
                return -1
            if kind == BULLET or int(marker) == 1:
                return j
            j += 1
        elif kind == ROW:
            if j + 1 < n and kinds[j + 1] == DELIMITER:
                return j  # a table may start here: _table decides, or gives up
            j += 1
        else:
            return -1
    return j


def _marker(line: str, kind: int) -> tuple[str, str, str]:
    """(number or bullet, markup, content after the marker's space) of a list item line."""
    if kind == BULLET:
        return line[0], line[0], line[2:]
    match = _ORDERED.match(line)
    assert match is not None
    return match.group(1), match.group(2), line[match.end():]


def _heading(lines: list[str], kinds: list[int], i: int, base: int, level: int, out: list[Token]) -> int:
    line = lines[i]
    depth = len(_HEADING.match(line).group())  # type: ignore[union-attr]
    text = line[depth:].rstrip(" ")
    unclosed = text.rstrip("#")  # closing #s go if a space comes before them
    if unclosed and unclosed[-1] == " ":
        text = unclosed
    tag, markup, span = f"h{depth}", "#" * depth, [base + i, base + i + 1]
    _token(out, "heading_open", tag, 1, level, span, markup)
    _inline(out, mdTrim(text), level + 1, list(span))
    _token(out, "heading_close", tag, -1, level, None, markup)
    return i + 1


def _quote(lines: list[str], kinds: list[int], i: int, base: int, level: int, out: list[Token]) -> int:
    end, n = i, len(lines)
    while end < n and kinds[end] == QUOTE:
        end += 1
    if end < n and kinds[end] not in (BLANK, HEADING, BULLET, ORDERED):  # lazy text joins the quote
        return -1
    inner = [line[2:] if line[1:2] == " " else line[1:] for line in lines[i:end]]
    if level >= _MAX_DEPTH or _blank_tail(inner):
        return -1
    span = [base + i, base + end]
    _token(out, "blockquote_open", "blockquote", 1, level, span, ">")
    if not _blocks(inner, base + i, level + 1, out):
        return -1
    _token(out, "blockquote_close", "blockquote", -1, level, None, ">")
    return end


def _blank_tail(inner: list[str]) -> bool:
    """True if a quote ends in two blank lines or has no text: then markdown-it's map runs past it."""
    if len(inner) >= 2 and not inner[-1].strip(" ") and not inner[-2].strip(" "):
        return True
    return not any(line.strip(" ") for line in inner)


def _list(lines: list[str], kinds: list[int], i: int, base: int, level: int, out: list[Token]) -> int:
    kind, n = kinds[i], len(lines)
    ordered = kind == ORDERED
    marker, markup, _ = _marker(lines[i], kind)
    opener = _token(out, "ordered_list_open" if ordered else "bullet_list_open", "ol" if ordered else "ul",
                    1, level, [base + i, 0], markup)
    if ordered and int(marker) != 1:
        opener.attrs = {"start": int(marker)}
    first, tight, loose_before, j = len(out), True, False, i
    while True:
        end = _item(lines, kinds, j, base, level + 1, out)
        if end < 0:
            return -1
        tight = tight and not loose_before
        loose_before = kinds[end - 1] == BLANK  # blank lines after an item make the list loose if more follow
        j = end
        if j >= n or kinds[j] != kind or _marker(lines[j], kind)[1] != markup:
            break
    _token(out, "ordered_list_close" if ordered else "bullet_list_close", "ol" if ordered else "ul",
           -1, level, None, markup)
    opener.map[1] = base + j  # type: ignore[index]
    if tight:
        for token in out[first:]:
            if token.level == level + 2 and token.type.startswith("paragraph_"):
                token.hidden = True
    return j


def _item(lines: list[str], kinds: list[int], j: int, base: int, level: int, out: list[Token]) -> int:
    """An item: one line of text, perhaps a list of such items under it at the text's indent.

    Its tokens, and the next line that is not blank (-1 if unsure).
    """
    n = len(lines)
    number, markup, content = _marker(lines[j], kinds[j])
    if not content or content[0] == " " or _kind(content) != TEXT:
        return -1
    width = len(lines[j]) - len(content)
    after = _sub_list_end(lines, j + 1, width)
    if after < n and kinds[after] not in (BLANK, BULLET, ORDERED, HEADING, QUOTE):  # would continue the item
        return -1
    end = after
    while end < n and kinds[end] == BLANK:
        end += 1
    opener = _token(out, "list_item_open", "li", 1, level, [base + j, base + end], markup)
    if kinds[j] == ORDERED:
        opener.info = number
    span = [base + j, base + j + 1]
    _token(out, "paragraph_open", "p", 1, level + 1, span)
    _inline(out, mdTrim(content), level + 2, list(span))
    _token(out, "paragraph_close", "p", -1, level + 1)
    if after > j + 1:  # the blank lines after a sub-list belong to its last item, as in markdown-it
        sub = [line[width:] for line in lines[j + 1:after]] + [""] * (end - after)
        if _list(sub, [_kind(line) for line in sub], 0, base + j + 1, level + 1, out) < 0:
            return -1
    _token(out, "list_item_close", "li", -1, level, None, markup)
    return end


def _sub_list_end(lines: list[str], j: int, width: int) -> int:
    """The end of the bullet items from line j indented by width, all with the same bullet."""
    indent, bullet = " " * width, ""
    while j < len(lines) and lines[j].startswith(indent):
        rest = lines[j][width:]
        if _kind(rest) != BULLET or rest[0] != (bullet or rest[0]):
            break
        bullet, j = rest[0], j + 1
    return j


def _table(lines: list[str], kinds: list[int], i: int, base: int, level: int, out: list[Token]) -> int:
    n = len(lines)
    if i + 1 >= n or kinds[i + 1] != DELIMITER:
        return -1
    aligns = _aligns(lines[i + 1])
    header = _cells(mdTrim(lines[i]))
    if aligns is None or not header or len(header) != len(aligns):
        return -1
    end = i + 2
    while end < n and kinds[end] == ROW:
        end += 1
    if end < n and kinds[end] not in (BLANK, HEADING, QUOTE, BULLET, ORDERED):  # text would be a row
        return -1
    _token(out, "table_open", "table", 1, level, [base + i, base + end])
    _token(out, "thead_open", "thead", 1, level + 1, [base + i, base + i + 1])
    _row(out, "th", header, aligns, level + 2, base + i)
    _token(out, "thead_close", "thead", -1, level + 1)
    if end > i + 2:
        _token(out, "tbody_open", "tbody", 1, level + 1, [base + i + 2, base + end])
        autocompleted = 0
        for j in range(i + 2, end):
            cells = _cells(mdTrim(lines[j]))
            autocompleted += len(aligns) - len(cells)
            if autocompleted > MAX_AUTOCOMPLETED_CELLS:
                return -1
            _row(out, "td", cells, aligns, level + 2, base + j)
        _token(out, "tbody_close", "tbody", -1, level + 1)
    _token(out, "table_close", "table", -1, level)
    return end


def _aligns(line: str) -> list[str] | None:
    """markdown-it's reading of a delimiter row: one alignment per column, or None."""
    if len(line) < 2 or (line[0] == "-" and line[1] == " "):  # "- " would be a list item
        return None
    columns = line.split("|")
    aligns = []
    for k, column in enumerate(columns):
        cell = mdTrim(column)
        if not cell:
            if k == 0 or k == len(columns) - 1:
                continue
            return None
        if not _ALIGN.fullmatch(cell):
            return None
        if cell[-1] == ":":
            aligns.append("center" if cell[0] == ":" else "right")
        else:
            aligns.append("left" if cell[0] == ":" else "")
    return aligns


def _cells(text: str) -> list[str]:
    cells = escapedSplit(text) if "\\" in text else text.split("|")
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _row(out: list[Token], tag: str, cells: list[str], aligns: list[str], level: int, line: int) -> None:
    _token(out, "tr_open", "tr", 1, level, [line, line + 1])
    for k, align in enumerate(aligns):
        cell = _token(out, f"{tag}_open", tag, 1, level + 1)
        if align:
            cell.attrs = {"style": "text-align:" + align}
        _inline(out, mdTrim(cells[k]) if k < len(cells) and cells[k] else "", level + 2, [line, line + 1])
        _token(out, f"{tag}_close", tag, -1, level + 1)
    _token(out, "tr_close", "tr", -1, level)


_BLOCKS: dict[int, Block] = {
    TEXT: _paragraph, HEADING: _heading, QUOTE: _quote, BULLET: _list, ORDERED: _list, ROW: _table,
}
