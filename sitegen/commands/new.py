"""`sitegen new`: start a guide at the right path with valid front matter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content.discover import discover
from ..content.schema import is_id
from ..diagnostics import Report, did_you_mean

TEMPLATE = """---
title: {title}
summary: 用一句话说明这篇指南帮读者做成什么事。
updated: {today}
sources: []
---
（先写最重要的一步。句子要短。）

## 适用对象

- （谁需要这篇指南？）

## 准备

1. （需要带什么、准备什么？）

## 步骤

1. （第一步。代码和电话号码请引用事实，写成 `{{{{operator.key}}}}`（去掉反引号），不要直接输入。）
"""


class ScaffoldError(Exception):
    pass


def new_guide(content: Path, root: Path, names: list[str], today: dt.date) -> tuple[Path, str]:
    """Create the guide file; returns its path and page key. Refuses to overwrite."""
    key = _key(content, root, names)
    path = content / "guides" / f"{key}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    title = "（标题）" if len(names) == 1 else f"（{names[0]} 的{names[1]}指南标题）"
    with path.open("x", encoding="utf-8") as fh:
        fh.write(TEMPLATE.format(title=title, today=today.isoformat()))
    return path, key


def _key(content_dir: Path, root: Path, names: list[str]) -> str:
    for name in names:
        if not is_id(name):
            raise ScaffoldError(f"{name!r} becomes part of a URL: use lowercase letters, digits and '-'")
    if len(names) == 1:
        return names[0]
    operator, topic = names
    content = discover(content_dir, root, Report())
    operators = sorted(content.operators)
    if operator not in operators:
        hint = did_you_mean(operator, operators)
        raise ScaffoldError(f"unknown operator '{operator}'{hint}; known: {', '.join(operators)}")
    topics = [t.id for t in content.topics]
    if topic not in topics:
        raise ScaffoldError(f"unknown topic '{topic}'{did_you_mean(topic, topics)}; known: {', '.join(topics)}")
    return f"{operator}/{topic}"
