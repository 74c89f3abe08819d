"""Read content/: site settings, topics, operators, facts and guides, checking paths as we go."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import ContentError, Report, did_you_mean
from ..model import GENERAL, HANT_SUFFIX, Fact, Guide, Operator, SiteConfig, Source, Topic, source_of
from .config import parse_config
from .data import parse_facts, parse_operator, parse_topics
from .files import Reader
from .frontmatter import parse_source
from .schema import is_id
from .yamlfile import load_yaml


@dataclass(frozen=True)
class Content:
    """Everything read from content/, before pages are assembled."""

    config: SiteConfig | None
    topics: tuple[Topic, ...] = ()
    operators: dict[str, Operator] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)  # every fact by 'owner.key'
    guides: tuple[Guide, ...] = ()
    # sources whose own file has an error: links to them report nothing more
    broken: frozenset[str] = frozenset()


def discover(content_dir: Path, root: Path, report: Report) -> Content:
    """Read and validate every source file below content_dir."""
    reader = Reader(content_dir, root, report)
    if not content_dir.is_dir():
        report.error(reader.name(content_dir), 1, "content folder not found; pass --content DIR")
        return Content(None)
    config = read_config(content_dir, root, report)
    topics_path = content_dir / "topics.yaml"
    topics_data = _read_yaml(reader, topics_path, required=False)
    topics = parse_topics(topics_data, reader.name(topics_path), report) if topics_data is not UNREAD else []
    topic_ids = [t.id for t in topics]
    broken = _declared_ids(topics_data) - set(topic_ids)
    if topics_data is UNREAD and topics_path.exists():
        broken.add("*")  # unreadable: every operator guide waits for it to be fixed
    operators, bad_operators = _read_operators(reader, content_dir / "operators")
    facts = {f.ref_key: f for f in _read_general_facts(reader, content_dir / "facts.yaml")}
    facts |= {f.ref_key: f for op in operators.values() for f in op.facts}
    guides, broken_srcs = _read_guides(reader, content_dir / "guides", operators, topic_ids, broken | bad_operators)
    return Content(config, tuple(topics), operators, facts, guides, broken_srcs)


def read_config(content_dir: Path, root: Path, report: Report) -> SiteConfig | None:
    """Just site.yaml, for commands that need the settings but not the content."""
    reader, path = Reader(content_dir, root, report), content_dir / "site.yaml"
    data = _read_yaml(reader, path, required=True)
    return parse_config(data, reader.name(path), report) if data is not UNREAD else None


def _read_yaml(reader: Reader, path: Path, required: bool) -> object:
    """A YAML file's data (None for an empty file); UNREAD (reported) when it is missing, unreadable or broken."""
    if not path.exists() and not path.is_symlink():
        if required:
            reader.report.error(reader.name(path), 1, f"{path.name} not found; create it with title and base_url")
        return UNREAD
    text = reader.read_text(path)
    if text is None:
        return UNREAD
    try:
        return load_yaml(text, reader.name(path))
    except ContentError as err:
        reader.report.items.append(err.diagnostic)
        return UNREAD


UNREAD = object()


def _declared_ids(data: object) -> set[str]:
    """Topic ids a broken topics.yaml still names (their guides report no second error)."""
    items = data if isinstance(data, list) else []
    return {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}


def _read_general_facts(reader: Reader, path: Path) -> list[Fact]:
    data = _read_yaml(reader, path, required=False)
    if data is UNREAD:
        return []
    if not isinstance(data, dict) or list(data) != ["facts"]:
        reader.report.error(reader.name(path), 1, "facts.yaml must hold one key, 'facts:', mapping keys to facts")
        return []
    line = getattr(data, "lines", {}).get("facts", 1)
    return list(parse_facts(GENERAL, data["facts"], reader.name(path), reader.report, line).values())


def _read_operators(reader: Reader, folder: Path) -> tuple[dict[str, Operator], set[str]]:
    """The operators, and the ids of those whose file has an error."""
    operators: dict[str, Operator] = {}
    broken: set[str] = set()
    if not folder.exists() or not reader.usable(folder, folder=True):
        return operators, broken
    for path in reader.files(folder):
        name = reader.name(path)
        if path.suffix != ".yaml" or path.parent != folder:
            reader.report.error(name, 1, "operators/ holds only <id>.yaml files, no folders")
            continue
        if not is_id(path.stem) or path.stem == GENERAL:
            reader.report.error(name, 1, _rename_hint(path.stem, ".yaml"))
            continue
        data = _read_yaml(reader, path, required=True)
        operator = parse_operator(path.stem, data, name, reader.report) if data is not UNREAD else None
        if operator is None:
            broken.add(path.stem)
        else:
            operators[operator.id] = operator
    return operators, broken


def _rename_hint(stem: str, suffix: str) -> str:
    fixed = "-".join(re.findall("[a-z0-9]+", stem.lower()))
    hint = f"; rename it to '{fixed}{suffix}'" if fixed and fixed != GENERAL else ""
    return f"file names become URLs: use lowercase letters, digits and '-'{hint}"


def _read_guides(
    reader: Reader, folder: Path, operators: dict[str, Operator], topic_ids: list[str], broken_ids: set[str]
) -> tuple[tuple[Guide, ...], frozenset[str]]:
    """Every guide with its hand-written zh-Hant file, and the sources that could not be read."""
    if not folder.exists() or not reader.usable(folder, folder=True):
        return (), frozenset()
    guides: dict[str, Guide] = {}
    hant: dict[str, Path] = {}
    broken: set[str] = set()
    for path in reader.files(folder):
        key = _guide_key(reader, folder, path, operators, topic_ids, broken_ids)
        if key is None:
            continue
        if path.name.endswith(HANT_SUFFIX):
            hant[key] = path
            continue
        source = read_source(reader, path)
        if source is None:
            broken.add(reader.name(path))
        else:
            operator, _, topic = key.rpartition("/")
            guides[key] = Guide(key, operator or None, topic if operator else None, source)
    for key, path in sorted(hant.items()):
        if key in guides:
            guides[key] = replace(guides[key], hant=read_source(reader, path))
        elif not any(d.path == reader.name(path) for d in reader.report.items):
            message = f"zh-Hant file has no zh-Hans source; add '{source_of(path.name)}' beside it"
            reader.report.error(reader.name(path), 1, message)
    return tuple(guides[k] for k in sorted(guides)), frozenset(broken)


def read_source(reader: Reader, path: Path) -> Source | None:
    """One guide file, read and its front matter checked; None (reported) when unusable."""
    text = reader.read_text(path)
    return parse_source(text, reader.name(path), reader.report) if text is not None else None


def _guide_key(
    reader: Reader, folder: Path, path: Path, operators: dict[str, Operator], topic_ids: list[str], broken_ids: set[str]
) -> str | None:
    """'operator/topic' or 'slug' for a guide file; None (reported) for a bad path."""
    if not path.name.endswith(".md"):
        return None
    parts = path.relative_to(folder).parts
    stem, operator = path.name.removesuffix(HANT_SUFFIX).removesuffix(".md"), parts[0]
    if len(parts) > 2:
        problem = "guides go in guides/<slug>.md or guides/<operator>/<topic>.md"
    elif not is_id(stem):
        problem = _rename_hint(stem, ".md")
    elif len(parts) == 1:
        return stem
    elif operator in broken_ids or stem in broken_ids or "*" in broken_ids:
        return None  # its operator or topic file already has an error
    elif operator not in operators:
        hint = did_you_mean(operator, operators) or f"; add operators/{operator}.yaml"
        problem = f"unknown operator '{operator}'{hint}"
    elif stem not in topic_ids:
        problem = f"unknown topic '{stem}'; must be one of: {', '.join(topic_ids)}{did_you_mean(stem, topic_ids)}"
    else:
        return f"{operator}/{stem}"
    reader.report.error(reader.name(path), 1, problem)
    return None
