"""The Jinja environment of one locale: StrictUndefined, autoescape, its catalog's gettext."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .i18n import Messages, format_date, format_manat

CSS_DIR = "_css"  # stylesheets, inlined by css("name.css", ...)


@functools.lru_cache(maxsize=64)
def minify_css(css: str) -> str:
    """Comments and layout whitespace out of our own stylesheet (not a general CSS minifier)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    css = re.sub(r"([^0-9\s]):\s+", r"\1:", css)
    return css.replace(";}", "}").strip()


def _stylesheets(env: Environment) -> Callable[..., Markup]:
    """`css("a.css", ...)`: files of templates/_css/ joined and minified once per environment
    (every page inlines the styles it needs)."""

    @functools.cache
    def css(*names: str) -> Markup:
        assert env.loader is not None
        return Markup(minify_css("".join(env.loader.get_source(env, f"{CSS_DIR}/{n}")[0] for n in names)))

    return css


def make_env(templates: Path, messages: Messages) -> Environment:
    """One environment per locale, its gettext bound to that locale's catalog. Templates are
    compiled once: `sitegen serve` makes new environments when templates/ or i18n/ change."""
    escape = select_autoescape(["html", "xml"], default_for_string=True)
    options: dict[str, Any] = dict(keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    options.update(autoescape=escape, undefined=StrictUndefined, extensions=["jinja2.ext.i18n"])
    env = Environment(loader=FileSystemLoader(str(templates)), **options)
    env.install_gettext_callables(messages.gettext, messages.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["css"] = _stylesheets(env)
    locale = messages.locale
    env.filters["date"] = lambda value: format_date(value, locale)
    env.filters["manat"] = lambda value: format_manat(value, locale)
    env.filters["host"] = lambda url: url.split("://", 1)[-1].rstrip("/")
    env.filters["sitename"] = lambda url: (urlsplit(url).hostname or url).removeprefix("www.")
    env.filters["cssmin"] = minify_css
    return env
