"""Command line: argument parsing and exit codes only (0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from .commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, print_report
from .diagnostics import ContentError, Report
from .model import Options, build_date, check_url


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ContentError as err:
        print(err.diagnostic.format(), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Build the zh-Hans/zh-Hant guide site.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = _command(sub, "build", _build, "build the site into the output folder")
    build.add_argument("--out", type=Path, help="output folder (default ROOT/public)")
    build.add_argument("--base-url", help="override base_url, e.g. https://user.github.io/repo/")
    build.add_argument("--repo-url", help="override repo_url (turns on 'edit this page' links)")
    build.add_argument("--drafts", action="store_true", help="include guides marked draft: true")
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    build.add_argument("--no-cache", action="store_true", help="build everything; do not read or write the cache")
    jobs = "worker processes for the guides (default: one per core on large sites)"
    build.add_argument("--jobs", type=int, default=0, metavar="N", help=jobs)
    build.add_argument("--all", action="store_true", help="list every warning (default: 20 of each kind)")
    check = _command(sub, "check", _check, "validate everything; write nothing")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--all", action="store_true", help="list every warning (default: 20 of each kind)")
    due = "print the facts due for a check as Markdown (for the weekly issue)"
    check.add_argument("--due", action="store_true", help=due)
    review = _command(sub, "review", _review, "mark a hand-written zh-Hant file as matching its source", False)
    review.add_argument("file", type=Path)
    serve = _command(sub, "serve", _serve, "preview on 127.0.0.1 with live reload")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--drafts", action="store_true", help="include guides marked draft: true")
    new = _command(sub, "new", _new, "start a guide: `new OPERATOR TOPIC` or `new SLUG`")
    new.add_argument("names", nargs="+", metavar="NAME")
    convert = _command(sub, "convert", _convert, "print the zh-Hant conversion of a guide, glossary hits marked", False)
    convert.add_argument("file", type=Path)
    convert.add_argument("--root", type=Path, default=Path("."))
    explain = "mark each change with the glossary entry or rule that made it"
    convert.add_argument("--explain", action="store_true", help=explain)
    i18n = _command(sub, "i18n", _i18n, "extract UI strings and update the message catalogs", False)
    i18n.add_argument("action", choices=("extract", "update"))
    i18n.add_argument("--root", type=Path, default=Path("."))
    return parser


def _command(sub, name: str, run, help: str, project: bool = True) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help)
    if project:
        parser.add_argument("--root", type=Path, default=Path("."), help="project folder (templates/, i18n/)")
        parser.add_argument("--content", type=Path, help="content folder (default ROOT/content)")
    parser.set_defaults(run=run)
    return parser


def _options(args: argparse.Namespace) -> Options:
    root = args.root
    base_url = getattr(args, "base_url", None)
    if base_url is not None and not check_url(base_url, ("https", "http")):
        _usage(f"--base-url must be a full http(s) URL, got {base_url!r}")
    repo_url = getattr(args, "repo_url", None)
    if repo_url is not None and not check_url(repo_url):
        _usage(f"--repo-url must be a full https URL, got {repo_url!r}")
    content, out = args.content or root / "content", getattr(args, "out", None) or root / "public"
    flags = {"drafts": getattr(args, "drafts", False), "search": not getattr(args, "no_search", False)}
    return Options(root, content, out, base_url, repo_url, today=build_date(), **flags)


def _usage(message: str) -> NoReturn:
    raise SystemExit(_error(message))


def _error(message: str) -> int:
    print(f"sitegen: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _build(args: argparse.Namespace) -> int:
    from .commands.build import run_build
    from .output.write import OutputFailed, UnsafeOutput

    if args.jobs < 0:
        _usage("--jobs must be 0 (automatic) or more")
    try:
        return run_build(_options(args), args.jobs, not args.no_cache, args.all)
    except (UnsafeOutput, OutputFailed) as err:
        _usage(str(err))


def _check(args: argparse.Namespace) -> int:
    from .commands.check import check, due_report

    if args.due:
        text, report = due_report(_options(args))
        print(text, end="")
        return print_report(report, everything=args.all)
    result, states = check(_options(args))
    code = print_report(result.report, args.strict, args.all)
    for state in states:
        print(f"{state.state:12} {state.key:24} {state.file}")
    counts = {s: sum(1 for t in states if t.state == s) for s in ("converted", "hand-written", "stale")}
    translations = ", ".join(f"{n} {state}" for state, n in counts.items())
    print(f"zh-Hant: {translations}; {len(result.report.errors)} errors, {len(result.report.warnings)} warnings")
    return code


def _review(args: argparse.Namespace) -> int:
    from .commands.review import ReviewError, mark_reviewed

    try:
        version = mark_reviewed(args.file)
    except (ReviewError, OSError) as err:
        return _error(str(err))
    print(f"{args.file}: translated_from: {version}")
    return EXIT_OK


def _i18n(args: argparse.Namespace) -> int:
    from .commands.i18n import update_catalogs, write_template

    for path in [write_template(args.root)] if args.action == "extract" else update_catalogs(args.root):
        print(f"wrote {path}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .commands.serve import serve

    try:
        serve(_options(args), args.port, lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        pass
    except OSError as err:
        _usage(f"cannot listen on 127.0.0.1:{args.port}: {err.strerror}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .commands.new import ScaffoldError, new_guide

    if len(args.names) > 2:
        _usage("give OPERATOR TOPIC or SLUG")
    options = _options(args)
    try:
        path, key = new_guide(options.content, options.root, args.names, build_date())
    except ScaffoldError as err:
        return _error(str(err))
    print(f"created {path}")
    print(f"preview: run `sitegen serve`, then open http://127.0.0.1:8000/zh-hans/{key}/")
    return EXIT_OK


def _convert(args: argparse.Namespace) -> int:
    from .build import converter_for
    from .text.chinese import preview

    report = Report()
    converter = converter_for(args.root, args.root / "content", report)
    try:
        text = args.file.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as err:
        return _error(f"cannot read {args.file}: {err}")
    converted, hits = preview(text, converter, args.explain)
    print(converted, end="" if converted.endswith("\n") else "\n")
    heading = f"glossary and rule hits (⟦…⟧ above; the rest is OpenCC {converter.profile}):"
    print("\n" + heading if hits else "\nno glossary phrase or rule used")
    for entry, count in sorted(hits.items(), key=lambda kv: (kv[0].hans, kv[0].where, kv[0].hant)):
        context = f"{entry.before}[{entry.hans}]{entry.after}" if entry.before or entry.after else entry.hans
        print(f"  {context} → {entry.hant}  ×{count}  ({entry.where})")
    return print_report(report)


if __name__ == "__main__":
    sys.exit(main())
