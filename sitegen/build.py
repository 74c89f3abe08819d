"""build(): the pipeline as a short table of contents."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from .assemble import Site, assemble
from .chinese import Converter, read_glossary
from .config import override_base_url
from .diagnostics import Report
from .discover import discover, read_config
from .i18n import Messages, catalog_path, load_messages
from .lint import lint_site
from .model import LOCALES, Conversion, Options
from .render import SiteRenderer, make_env, static_files
from .write import check_out_dir, write_site


@dataclass
class Result:
    report: Report
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    messages: dict[str, Messages] = field(default_factory=dict)


def render_site(options: Options) -> Result:
    """Read, check and render everything in memory; nothing is written."""
    report = Report()
    content = discover(options.content, options.root, report)
    if content.config is None:
        return Result(report)
    if options.base_url:
        content.config = override_base_url(content.config, options.base_url)
    if options.repo_url:
        content.config = replace(content.config, repo_url=options.repo_url)
    converter = make_converter(options.root, content.config.conversion, report)
    messages = {loc: load_messages(options.root / "i18n", loc, _name(options.root, catalog_path(
        options.root / "i18n", loc)), report) for loc in LOCALES}
    site = assemble(content, converter, report, options.drafts)
    lint_site(site, report)
    templates = options.root / "templates"
    if not templates.is_dir():
        report.error(_name(options.root, templates), 1, "templates folder not found; run sitegen "
                     "from the project folder or pass --root")
    if report.errors:
        return Result(report, site, messages=messages)
    envs = {loc: make_env(templates, messages[loc]) for loc in LOCALES}
    try:
        files = SiteRenderer(site, envs, messages, report).render() | static_files(templates)
    except TemplateError as err:
        name, line = _template_location(templates, err)
        report.error(_name(options.root, name), line, f"template: {err.message}; fix the template")
        return Result(report, site, messages=messages)
    _report_missing_strings(messages, options.root, report)
    return Result(report, site, files, messages)


def build(options: Options) -> Result:
    """Render the site and, when nothing is wrong, swap it into the output folder."""
    check_out_dir(options.out, options.root,
                  [options.content, options.root / "templates", options.root / "i18n"])
    result = render_site(options)
    if options.search and not result.report.errors and result.site is not None:
        _add_search(result)
    if not result.report.errors:
        write_site(result.files, options.out)
    return result


def _add_search(result: Result) -> None:
    from .search import SearchError, search_files

    assert result.site is not None
    try:
        result.files |= search_files(result.site, result.files)
    except (SearchError, OSError) as err:
        result.report.error("pagefind", 1, f"search index: {err}; rerun with --no-search to skip it")


def make_converter(root: Path, conversion: Conversion, report: Report) -> Converter:
    path = root / conversion.glossary
    return Converter(conversion.opencc, read_glossary(path, _name(root, path), report))


def converter_for(root: Path, content_dir: Path, report: Report) -> Converter:
    """The converter site.yaml asks for (the defaults when it cannot be read)."""
    config = read_config(content_dir, root, report)
    return make_converter(root, config.conversion if config else Conversion(), report)


def _report_missing_strings(messages: dict[str, Messages], root: Path, report: Report) -> None:
    """Strings the templates used that the catalogs lack: an error, never an English fallback."""
    for locale, catalog in messages.items():
        name = _name(root, catalog_path(root / "i18n", locale))
        for msgid in sorted(catalog.missing):
            report.error(name, 1, f"UI string {msgid!r} has no {locale} translation; "
                         "run `sitegen i18n update` and translate it")


def _template_location(templates: Path, err: TemplateError) -> tuple[Path, int]:
    """Where in our templates the error is: syntax errors say so, runtime ones are in the traceback."""
    if isinstance(err, TemplateSyntaxError) and err.filename:
        return Path(err.filename), err.lineno
    folder = str(templates.resolve())
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(folder)]
    return (Path(frames[-1].filename), frames[-1].lineno or 1) if frames else (templates, 1)


def _name(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = ["Options", "Result", "build", "render_site"]
