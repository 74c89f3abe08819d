"""Safe YAML with line numbers: mappings remember the line of each key.

Anchors and aliases are refused (they are how "billion laughs" bombs work) and
only the standard safe tags construct anything.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import yaml

from .diagnostics import ContentError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A dict that knows the 1-based source line of each key."""

    lines: dict[Any, int]

    def line_of(self, key: Any, default: int = 0) -> int:
        return self.lines.get(key, default)

    def renamed(self, old: Any, new: Any) -> LineDict:
        """A copy with one key renamed, keeping its line."""
        copy = LineDict({new if k == old else k: v for k, v in self.items()})
        copy.lines = {new if k == old else k: v for k, v in self.lines.items()}
        return copy


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    line_offset = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        result = LineDict()
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + self.line_offset
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise ContentError("", line, "YAML keys must be plain words")
            if key in result:
                raise ContentError("", line, f"key '{key}' appears twice; keep one")
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result


    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise ContentError("", node.start_mark.line + 1 + self.line_offset,
                               f"invalid date {node.value!r} ({err}); write YYYY-MM-DD") from None


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse YAML text; errors become ContentError with the file's line number. The result is
    shared between calls with the same arguments (sitegen serve reads unchanged files again):
    callers never change it."""
    return _load_yaml(text, path, line_offset)


@functools.lru_cache(maxsize=64)
def _load_yaml(text: str, path: str, line_offset: int) -> Any:
    simple = _simple_mapping(text, line_offset)
    if simple is not None:
        return simple
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        if "&" in text or "*" in text:
            _refuse_anchors(text, path, line_offset)
        return loader.get_single_data()
    except ContentError as err:
        raise ContentError(path, err.diagnostic.line, err.diagnostic.message) from None
    except RecursionError:
        raise ContentError(path, line_offset + 1, "YAML is nested too deeply") from None
    except yaml.constructor.ConstructorError as err:
        line = _mark_line(err.problem_mark, line_offset)
        raise ContentError(path, line, f"YAML: unsupported tag or value ({err.problem}); "
                           "write plain text, numbers, lists and mappings") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ContentError(path, _mark_line(mark, line_offset),
                           f"YAML syntax: {problem}; check indentation and quote values "
                           "that start with * # : or {") from None
    finally:
        loader.dispose()


# Front matter is nearly always `key: plain value` lines and `- item` lists. Those are read
# here, 20 times faster than by the YAML parser, and anything else goes to the parser. Values
# are typed by PyYAML's own resolver; only strings, decimal integers and valid dates are taken.
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_ITEM_LINE = re.compile(r"( *)- (.*)")
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@` ")
# Characters outside plain printable text, and the ones YAML also takes as line breaks or BOM.
_NOT_PRINTABLE = re.compile("[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                            "\U00010000-\U0010ffff]")
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_resolver = yaml.resolver.Resolver()
_TYPED_STARTS = set(_resolver.yaml_implicit_resolvers)  # first characters of typed values; None: any


def _simple_mapping(text: str, line_offset: int) -> LineDict | None:
    """The mapping of simple front matter, or None when the YAML parser must read it."""
    if _NOT_PRINTABLE.search(text):
        return None
    result, current = LineDict(), None
    result.lines = {}
    for number, line in enumerate(text.split("\n"), line_offset + 1):
        item = _ITEM_LINE.fullmatch(line)
        if item and current is not None and (not current[1] or current[2] == item.group(1)):
            value = _scalar(item.group(2))
            if value is _NOT_SIMPLE:
                return None
            current[1].append(value)
            current[2] = item.group(1)
            continue
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            if line:
                return None
            current = None
            continue
        key = match.group(1)
        if key in result or _scalar(key) != key:
            return None  # a repeated key (an error) or a key YAML would type: the parser decides
        if match.group(2) is None:  # a list follows, or nothing (null)
            current = [key, [], None]
            result[key], result.lines[key] = current[1], number
            continue
        value = _scalar(match.group(2))
        if value is _NOT_SIMPLE:
            return None
        result[key], result.lines[key], current = value, number, None
    if not result or any(v == [] for v in result.values()):
        return None  # empty text is null, and so is `key:` alone: the parser says so
    return result


_NOT_SIMPLE = object()


def _scalar(text: str) -> Any:
    """A one-line plain scalar as YAML reads it, or _NOT_SIMPLE."""
    text = text.rstrip(" ")
    if not text or text[0] in _PLAIN_START or ": " in text or " #" in text or text.endswith(":"):
        return _NOT_SIMPLE
    if None not in _TYPED_STARTS and text[0] not in _TYPED_STARTS:
        return text  # no implicit type starts with this character: a string (most titles)
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return text
    if tag == "tag:yaml.org,2002:int" and _INT.fullmatch(text):
        return int(text)
    if tag == "tag:yaml.org,2002:bool":
        return yaml.constructor.SafeConstructor.bool_values[text.lower()]
    if tag == "tag:yaml.org,2002:timestamp" and _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return _NOT_SIMPLE  # the parser reports it with its line
    return _NOT_SIMPLE


_ANCHOR_MESSAGE = "YAML anchors and aliases (&name, *name) are not supported; write the value out"


def _refuse_anchors(text: str, path: str, line_offset: int) -> None:
    """Aliases are rejected before parsing so a bomb never expands."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None or isinstance(event, yaml.AliasEvent):
            raise ContentError(path, _mark_line(event.start_mark, line_offset), _ANCHOR_MESSAGE)


def _mark_line(mark: Any, line_offset: int) -> int:
    return (mark.line + 1 + line_offset) if mark is not None else line_offset + 1
