"""Read content/: site settings, topics, operators, facts and guides, checking paths as we go."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import parse_config
from .diagnostics import ContentError, Diagnostic, Report, did_you_mean
from .forked import in_child
from .frontmatter import parse_source
from .model import HANT, Fact, Guide, Operator, SiteConfig, Source, Topic
from .schema import ID_RE
from .sitedata import GENERAL, parse_facts, parse_operator, parse_topics
from .yamlfile import load_yaml

HANT_SUFFIX = f".{HANT}.md"
PARALLEL_READ_MIN = 2000  # guides worth a fork (a few ms, and sending them back) to share


@dataclass
class Content:
    """Everything read from content/, before pages are assembled."""

    config: SiteConfig | None
    topics: list[Topic] = field(default_factory=list)
    operators: dict[str, Operator] = field(default_factory=dict)
    general_facts: dict[str, Fact] = field(default_factory=dict)
    guides: list[Guide] = field(default_factory=list)
    # ids named by files that failed validation: guides under them report no second error
    broken_ids: set[str] = field(default_factory=set)
    # guides whose own file has an error: links to them report nothing more
    broken_srcs: set[str] = field(default_factory=set)

    def fact(self, ref: str) -> Fact | None:
        owner, _, key = ref.partition(".")
        facts = self.general_facts if owner == GENERAL else getattr(
            self.operators.get(owner), "facts", {})
        return facts.get(key)

    def all_facts(self) -> list[Fact]:
        """General facts, then every operator's."""
        facts = list(self.general_facts.values())
        return facts + [f for op in self.operators.values() for f in op.facts.values()]

    def fact_refs(self) -> list[str]:
        return [f.ref_key for f in self.all_facts()]


def read_bytes(path: Path) -> bytes:
    """A file's bytes in two or three system calls (Path.read_bytes makes eight: this runs for
    every source before anything else can start)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 18):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


class Reader:
    """Reads files below content/, naming them by their path relative to the project root."""

    def __init__(self, content_dir: Path, root: Path, report: Report) -> None:
        self.content, self.root, self.report = content_dir.resolve(), root.resolve(), report
        self._root_prefix = str(self.root).rstrip("/") + "/"

    def name(self, path: Path) -> str:
        if os.sep == "/":  # what relative_to gives, without its cost (thousands of calls)
            return str(path).removeprefix(self._root_prefix)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def read_text(self, path: Path) -> str | None:
        """UTF-8 text with BOM and CRLF normalised; None (reported) when unreadable."""
        name = self.name(path)
        try:
            raw = read_bytes(path)
        except OSError as err:
            self.report.error(name, 0, f"cannot read file: {err.strerror}")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw[:err.start].count(b"\n") + 1
            self.report.error(name, line, "file is not valid UTF-8; save it as UTF-8")
            return None
        if "\x00" in text:
            self.report.error(name, text[:text.index("\x00")].count("\n") + 1,
                              "file contains a NUL byte; save it as plain UTF-8 text")
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def read_yaml(self, path: Path) -> tuple[bool, object]:
        """(True, data), or (False, None) when the file could not be read (reported)."""
        text = self.read_text(path)
        if text is None:
            return False, None
        try:
            return True, load_yaml(text, self.name(path))
        except ContentError as err:
            self.report.items.append(err.diagnostic)
            return False, None

    def files(self, folder: Path) -> list[Path]:
        """Regular files below folder, sorted; symlinks that leave content/ are refused."""
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(folder):
            for d in list(dirnames):
                if os.path.islink(os.path.join(dirpath, d)):
                    self.report.error(self.name(Path(dirpath, d)), 0,
                                      "symlinked folders are not allowed in content/; move the files in")
                    dirnames.remove(d)
            found.extend(p for p in (os.path.join(dirpath, f) for f in filenames) if self._inside(p))
        found.sort(key=lambda p: p.split(os.sep))  # as Path sorts: part by part
        return [Path(p) for p in found]

    def _inside(self, name: str) -> bool:
        if not os.path.islink(name):
            return True
        path = Path(name)
        target = path.resolve()
        if not target.is_relative_to(self.content) or not target.is_file():
            self.report.error(self.name(path), 0,
                              "symlink leads outside content/ (or nowhere); copy the file in instead")
            return False
        return True


def discover(content_dir: Path, root: Path, report: Report, jobs: int = 1) -> Content:
    """Read and validate every source file below content_dir (jobs: 1 for one process only)."""
    reader = Reader(content_dir, root, report)
    if not content_dir.is_dir():
        report.error(reader.name(content_dir), 0, "content folder not found; pass --content DIR")
        return Content(None)
    config = _read_config(reader, content_dir / "site.yaml")  # reported once, here
    content = Content(config)
    topics_path = content_dir / "topics.yaml"
    if topics_path.is_file():
        ok, data = reader.read_yaml(topics_path)
        content.topics = parse_topics(data, reader.name(topics_path), report) if ok else []
        content.broken_ids |= _declared_ids(data) - {t.id for t in content.topics} if ok else {"*"}
    facts_path = content_dir / "facts.yaml"
    if facts_path.is_file():
        content.general_facts = _read_general_facts(reader, facts_path)
    content.operators = _read_operators(reader, content_dir / "operators", content.broken_ids)
    content.guides = _read_guides(reader, content_dir / "guides", content, jobs)
    return content


def read_config(content_dir: Path, root: Path, report: Report) -> SiteConfig | None:
    """Just site.yaml, for commands that need the settings but not the content."""
    return _read_config(Reader(content_dir, root, report), content_dir / "site.yaml")


def _read_config(reader: Reader, path: Path) -> SiteConfig | None:
    if not path.is_file():
        reader.report.error(reader.name(path), 0, "site.yaml not found; create it with title and base_url")
        return None
    ok, data = reader.read_yaml(path)
    return parse_config(data, reader.name(path), reader.report) if ok else None


def _declared_ids(data: object) -> set[str]:
    items = data if isinstance(data, list) else []
    return {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}


def _read_general_facts(reader: Reader, path: Path) -> dict[str, Fact]:
    ok, data = reader.read_yaml(path)
    name = reader.name(path)
    if not ok:
        return {}
    if not isinstance(data, dict) or list(data) != ["facts"]:
        reader.report.error(name, 1, "facts.yaml must hold one key, 'facts:', mapping keys to facts")
        return {}
    return parse_facts(GENERAL, data["facts"], name, reader.report, getattr(data, "lines", {}).get("facts", 1))


def _read_operators(reader: Reader, folder: Path, broken: set[str]) -> dict[str, Operator]:
    operators: dict[str, Operator] = {}
    if not folder.is_dir():
        return operators
    for path in reader.files(folder):
        name = reader.name(path)
        if path.suffix != ".yaml":
            reader.report.error(name, 0, "operators/ holds only <id>.yaml files")
            continue
        if not ID_RE.match(path.stem) or path.stem == GENERAL:
            reader.report.error(name, 0, _rename_hint(path.stem, ".yaml"))
            continue
        ok, data = reader.read_yaml(path)
        operator = parse_operator(path.stem, data, name, reader.report) if ok else None
        if operator is not None:
            operators[operator.id] = operator
        else:
            broken.add(path.stem)
    return operators


def _rename_hint(stem: str, suffix: str) -> str:
    fixed = "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in stem.lower()).split())
    hint = f"; rename it to '{fixed}{suffix}'" if fixed and fixed != GENERAL else ""
    return f"file names become URLs: use lowercase letters, digits and '-'{hint}"


def _read_guides(reader: Reader, folder: Path, content: Content, jobs: int) -> list[Guide]:
    if not folder.is_dir():
        return []
    hans: dict[str, Guide] = {}
    hant: dict[str, Path] = {}
    found: list[tuple[str, Path]] = []
    for path in reader.files(folder):
        key = _guide_key(reader, folder, path, content)
        if key is None:
            continue
        if path.name.endswith(HANT_SUFFIX):
            hant[key] = path
        else:
            found.append((key, path))
    for (key, path), source in zip(found, _read_sources(reader, [p for _, p in found], jobs)):
        if source is None:
            content.broken_srcs.add(reader.name(path))
            continue
        operator, _, topic = key.rpartition("/")
        hans[key] = Guide(key, operator or None, topic if operator else None, source)
    _pair_translations(reader, hans, hant)
    return [hans[k] for k in sorted(hans)]


def _read_sources(reader: Reader, paths: list[Path], jobs: int) -> list[Source | None]:
    """Each file read and its front matter checked, in order. On large sites with jobs to
    spare, a forked child reads the second half meanwhile: this stage runs before any other
    can start, and it is 2 s of 10,000 guides."""
    def read(part: list[Path]) -> Callable[[], tuple[list[Source | None], list[Diagnostic]]]:
        def work() -> tuple[list[Source | None], list[Diagnostic]]:
            mark = len(reader.report.items)
            sources = [read_source(reader, path) for path in part]
            found = reader.report.items[mark:]
            del reader.report.items[mark:]  # handed back, in order, with the sources
            return sources, found
        return work

    half = len(paths) // 2 if jobs != 1 and len(paths) >= PARALLEL_READ_MIN else len(paths)
    second = in_child(read(paths[half:]), half < len(paths), pickle.dumps, pickle.loads)
    first, first_found = read(paths[:half])()
    rest, rest_found = second()
    reader.report.items += first_found + rest_found
    return first + rest


def read_source(reader: Reader, path: Path) -> Source | None:
    """One guide file, read and its front matter checked; None (reported) when unusable."""
    text = reader.read_text(path)
    return parse_source(text, reader.name(path), reader.report) if text is not None else None


def _pair_translations(reader: Reader, hans: dict[str, Guide], hant: dict[str, Path]) -> None:
    for key, path in sorted(hant.items()):
        if key not in hans:
            if not any(d.path == reader.name(path) for d in reader.report.items):
                reader.report.error(reader.name(path), 0, "zh-Hant file has no zh-Hans source; add "
                                    f"'{path.name.replace(HANT_SUFFIX, '.md')}' beside it")
            continue
        hans[key].hant = read_source(reader, path)


def _guide_key(reader: Reader, folder: Path, path: Path, content: Content) -> str | None:
    """'operator/topic' or 'slug' for a guide file; None (reported) for a bad path."""
    name = reader.name(path)
    if not path.name.endswith(".md"):
        return None
    parts = tuple(str(path)[len(str(folder)) + 1:].split(os.sep))  # path is below folder
    stem = path.name[: -len(HANT_SUFFIX)] if path.name.endswith(HANT_SUFFIX) else path.name[:-3]
    if len(parts) > 2:
        reader.report.error(name, 0, "guides go in guides/<slug>.md or guides/<operator>/<topic>.md")
        return None
    if not ID_RE.match(stem):
        reader.report.error(name, 0, _rename_hint(stem, ".md"))
        return None
    if len(parts) == 1:
        return stem
    operator = parts[0]
    if operator in content.broken_ids or stem in content.broken_ids or "*" in content.broken_ids:
        return None  # its operator or topic file already has an error
    if operator not in content.operators:
        reader.report.error(name, 0, f"unknown operator '{operator}'"
                            f"{did_you_mean(operator, content.operators) or '; add operators/' + operator + '.yaml'}")
        return None
    topic_ids = [t.id for t in content.topics]
    if stem not in topic_ids:
        reader.report.error(name, 0, f"unknown topic '{stem}'; must be one of: {', '.join(topic_ids)}"
                            f"{did_you_mean(stem, topic_ids)}")
        return None
    return f"{operator}/{stem}"
