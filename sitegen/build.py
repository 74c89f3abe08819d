"""build(): the pipeline as a short table of contents."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from jinja2 import TemplateError

from .assemble import Site, assemble
from .chinese import Converter, Rule, check_duplicates, parse_rules, read_glossary
from .config import override_base_url
from .diagnostics import ContentError, Diagnostic, Report
from .discover import discover, read_config
from .environment import make_env
from .guides import GuideResult, report_guides
from .i18n import Messages, catalog_path, load_messages
from .memo import Memo, NoMemo, listing_inputs
from .model import LOCALES, Conversion, Options, build_date
from .render import SiteRenderer, static_files, template_diagnostic
from .workers import TemplateFailed, Write, run_guides
from .write import OutputFailed, Staging, check_out_dir


@dataclass
class Result:
    report: Report
    site: Site | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)  # every output file, by path
    messages: dict[str, Messages] = field(default_factory=dict)
    # what sitegen.edits needs to apply a body edit to this build without rebuilding it
    renderer: SiteRenderer | None = None
    guides: dict[str, GuideResult] = field(default_factory=dict)
    before_guides: list[Diagnostic] = field(default_factory=list)  # diagnostics found before


def render_site(options: Options, staging: Staging | None = None, jobs: int = 1,
                memo: Memo | None = None) -> Result:
    """Read, check and render everything. Files are written into the staging folder when
    given (by worker processes too: jobs as for run_guides), else kept in memory, where a
    memo of the last build spares what did not change."""
    memo = memo if memo is not None else NoMemo()
    report = Report()
    site, messages = _read(options, memo, report, jobs if staging is not None else 1)
    result = Result(report, site, messages=messages)
    if site is None or report.errors:
        return result
    files: dict[str, bytes] = {}
    staged = StagedFiles(staging) if staging is not None else None
    write = staged.write if staged is not None else files.__setitem__
    renderer = SiteRenderer(site, {loc: make_env(options.root / "templates", messages[loc], memo.templates)
                                   for loc in LOCALES}, messages)
    result.renderer, result.before_guides = renderer, list(report.items)
    try:
        result.guides = _render(site, renderer, write, options.root, jobs if staged is not None else 1, memo, report)
    except TemplateFailed as err:
        report.items.append(err.diagnostic)
        return result
    except TemplateError as err:
        report.items.append(template_diagnostic(err, options.root))
        return result
    if staged is not None:
        staged.names.update(page for guide in result.guides.values() for page in guide.pages)
    report_missing_strings(messages, options.root, report)
    result.files = files if staged is None else staged
    return result


def _read(options: Options, memo: Memo, report: Report, jobs: int) -> tuple[Site | None, dict[str, Messages]]:
    """Content, catalogs and converter: the site as data, checked as far as it can be unrendered."""
    content = discover(options.content, options.root, report, jobs)
    if content.config is None:
        return None, {}
    if options.base_url:
        content.config = override_base_url(content.config, options.base_url)
    if options.repo_url:
        content.config = replace(content.config, repo_url=options.repo_url)
    converter = make_converter(options.root, content.config.conversion, report)
    memo.begin(options, options.root / content.config.conversion.glossary)
    messages = {loc: load_messages(options.root / "i18n", loc, _name(options.root, catalog_path(
        options.root / "i18n", loc)), report) for loc in LOCALES}
    site = assemble(content, converter, report, options.drafts, options.today or build_date())
    templates = options.root / "templates"
    if not templates.is_dir():
        report.error(_name(options.root, templates), 1, "templates folder not found; run sitegen "
                     "from the project folder or pass --root")
    return site, messages


def _render(site: Site, renderer: SiteRenderer, write: Write, root: Path, jobs: int, memo: Memo,
            report: Report) -> dict[str, GuideResult]:
    """Guides (in workers when jobs allow), then what spans guides."""
    listed = listing_inputs(site)

    def listings() -> None:  # while workers render guides
        static = static_files(root / "templates")
        for name, data in memo.pages("listings", listed, lambda: renderer.listing_pages() | static).items():
            write(name, data)

    guides = run_guides(site, renderer, write, root, jobs, listings, memo)
    report_guides(guides, report)
    for op_id in [] if report.errors else site.content.operators:
        bodies = operator_bodies(site, guides, op_id)
        printable = memo.pages(f"print {op_id}", (listed, bodies), partial(renderer.print_pages, op_id, bodies))
        for name, data in printable.items():
            write(name, data)
    return guides


def operator_bodies(site: Site, guides: dict[str, GuideResult], op_id: str) -> dict[str, dict[str, str]]:
    """{key: {locale: body}} of one operator's guides, for its printable page."""
    return {key: g.bodies for key, g in guides.items() if site.guides[key].operator == op_id}


class StagedFiles(Mapping[str, bytes]):
    """The files written into a staging folder, read back from it on demand (for search)."""

    def __init__(self, staging: Staging) -> None:
        self.staging, self.names = staging, set[str]()

    def write(self, name: str, data: bytes) -> None:
        self.staging.write(name, data)
        self.names.add(name)

    def __getitem__(self, name: str) -> bytes:
        if name not in self.names:
            raise KeyError(name)
        return self.staging.read(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.names))

    def __len__(self) -> int:
        return len(self.names)


def build(options: Options, jobs: int = 0) -> Result:
    """Render the site into a staging folder and, when nothing is wrong, swap it in.
    jobs: worker processes for the guides (0: one per core on large sites)."""
    out = check_out_dir(options.out, options.root,
                        [options.content, options.root / "templates", options.root / "i18n"])
    try:
        staging = Staging(out)
    except OSError as err:
        raise OutputFailed(f"cannot write {out}: {err.strerror or err}") from None
    try:
        result = render_site(options, staging, jobs)
        if options.search and not result.report.errors and result.site is not None:
            _add_search(result, staging)
        if result.report.errors:
            staging.discard()
        else:
            staging.commit()
    except OSError as err:  # disk full, read-only, permissions: one line, the old output kept
        staging.discard()
        where = f" ({err.filename})" if err.filename else ""
        raise OutputFailed(f"cannot write the output: {err.strerror or err}{where}; "
                           "the previous output is unchanged") from None
    except BaseException:
        staging.discard()
        raise
    return result


def _add_search(result: Result, staging: Staging) -> None:
    from .search import SearchError, search_files

    assert result.site is not None and isinstance(result.files, StagedFiles)
    try:
        for name, data in search_files(result.site, result.files, staging.scratch()).items():
            result.files.write(name, data)
    except (SearchError, OSError) as err:
        result.report.error("pagefind", 1, f"search index: {err}; rerun with --no-search to skip it")


def make_converter(root: Path, conversion: Conversion, report: Report) -> Converter:
    """OpenCC with the glossary and the context rules (whose tests tests/ runs)."""
    glossary = root / conversion.glossary
    entries = read_glossary(glossary, _name(root, glossary), report)
    entries += [form for rule in read_rules(root, conversion, report) for form in rule.forms]
    return Converter(conversion.opencc, check_duplicates(entries, report))


def read_rules(root: Path, conversion: Conversion, report: Report) -> list[Rule]:
    path = root / conversion.rules
    if not path.is_file():
        return []
    from .yamlfile import load_yaml

    name = _name(root, path)
    try:
        data = load_yaml(path.read_bytes().decode("utf-8-sig"), name)
    except ContentError as err:
        report.items.append(err.diagnostic)
        return []
    except (OSError, UnicodeDecodeError) as err:
        report.error(name, 1, f"cannot read the conversion rules: {err}")
        return []
    return parse_rules(data, name, report)


def converter_for(root: Path, content_dir: Path, report: Report) -> Converter:
    """The converter site.yaml asks for (the defaults when it cannot be read)."""
    config = read_config(content_dir, root, report)
    return make_converter(root, config.conversion if config else Conversion(), report)


def report_missing_strings(messages: dict[str, Messages], root: Path, report: Report) -> None:
    """Strings the templates used that the catalogs lack: an error, never an English fallback."""
    for locale, catalog in messages.items():
        name = _name(root, catalog_path(root / "i18n", locale))
        for msgid in sorted(catalog.missing):
            report.error(name, 1, f"UI string {msgid!r} has no {locale} translation; "
                         "run `sitegen i18n update` and translate it")


def _name(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = ["Options", "Result", "build", "render_site"]
