"""Safe YAML with line numbers: mappings remember the line of each key.

Anchors and aliases are refused (they are how "billion laughs" bombs work), only the standard
safe tags construct anything, and every parse problem is a ContentError at its line.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..diagnostics import ContentError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ANCHOR_MESSAGE = "YAML anchors and aliases (&name, *name) are not supported; write the value out"


class LineDict(dict[Any, Any]):
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

    def _line(self, node: yaml.Node) -> int:
        return _mark_line(node.start_mark, self.line_offset)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        result = LineDict()
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise ContentError("", self._line(key_node), "YAML keys must be plain words")
            if key in result:
                raise ContentError("", self._line(key_node), f"key '{key}' appears twice; keep one")
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = self._line(key_node)
        return result

    def construct_checked(self, node: yaml.ScalarNode) -> Any:
        """Dates and numbers YAML accepts but Python cannot hold (2026-13-45, 5,000 digits): a located error."""
        construct = yaml.constructor.SafeConstructor.yaml_constructors[node.tag]
        try:
            return construct(self, node)
        except (ValueError, OverflowError) as err:
            date = f"invalid date {node.value!r} ({err}); write YYYY-MM-DD"
            number = f"number {node.value[:20]!r}… cannot be read ({str(err)[:60]}); write a smaller number"
            raise ContentError("", self._line(node), date if node.tag.endswith("timestamp") else number) from None


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
for _tag in ("timestamp", "int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_checked)


def load_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse YAML text; errors become ContentError with the file's line number."""
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
        message = f"YAML: unsupported tag or value ({err.problem}); write plain text, numbers, lists and mappings"
        raise ContentError(path, _mark_line(err.problem_mark, line_offset), message) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        message = f"YAML syntax: {problem}; check indentation and quote values that start with * # : or {{"
        raise ContentError(path, _mark_line(mark, line_offset), message) from None
    finally:
        loader.dispose()


def _refuse_anchors(text: str, path: str, line_offset: int) -> None:
    """Aliases are rejected before parsing so a bomb never expands."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if getattr(event, "anchor", None) is not None or isinstance(event, yaml.AliasEvent):
            raise ContentError(path, _mark_line(event.start_mark, line_offset), _ANCHOR_MESSAGE)


def _mark_line(mark: Any, line_offset: int) -> int:
    return int(mark.line) + 1 + line_offset if mark is not None else line_offset + 1
