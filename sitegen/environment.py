"""The Jinja environment of one locale: StrictUndefined, autoescape, its catalog's gettext.

A page's template time was mostly Jinja's own per-call cost, so what can be done once is:
`_("…")` of a literal and `css("a.css", …)` are folded into the compiled template as constants
(the environment serves one locale, so the translation is known when the template compiles);
template globals are a plain dict (a ChainMap made every page's context and macro import
iterate in Python); templates are found in a dict; `x.name` of a dict finds the item without
a failed attribute lookup; and output is escaped without markupsafe's Python wrapper. The HTML
is the same as Jinja's own (tests/test_environment.py).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markupsafe
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    nodes,
    pass_eval_context,
    select_autoescape,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from .i18n import Messages, format_date, format_manat

CSS_DIR = "_css"  # stylesheets, inlined by css("name.css", ...)
_DICT_ATTRIBUTES = frozenset(dir(dict))


@functools.lru_cache(maxsize=64)
def minify_css(css: str) -> str:
    """Comments and layout whitespace out of our own stylesheet (not a general CSS minifier)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    css = re.sub(r"([^0-9\s]):\s+", r"\1:", css)
    return css.replace(";}", "}").strip()


class SiteEnvironment(Environment):
    """An environment whose templates fold UI strings and stylesheets in when they compile."""

    messages: Messages
    templates: Path

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._loaded: dict[tuple[str, str | None], Template] = {}

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # A snapshot, not Jinja's ChainMap: every global is set before any template loads.
        return {**self.globals, **(d or {})}

    def get_template(self, name: str | Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> Template:
        # Asked for four times a page (the page, its parent, an include, an import). Templates
        # cannot change under an environment (auto_reload is off): a dict beats Jinja's LRU.
        if globals is not None or not isinstance(name, str):
            return super().get_template(name, parent, globals)
        found = self._loaded.get((name, parent))
        if found is None:
            found = self._loaded[name, parent] = super().get_template(name, parent)
        return found

    def getattr(self, obj: Any, attribute: str) -> Any:
        # `x.name` of a dict (most of our contexts): Jinja tries the attribute first, so every
        # lookup raised and caught an AttributeError. A dict has no attribute of its own but
        # its methods, so for any other name the item is what Jinja would find.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    @functools.cached_property
    def salt(self) -> str:
        """A digest of what folded constants come from, the catalog and the stylesheets, so a
        bytecode cache keeps their versions apart (asked for only where there is one: serve)."""
        digest = hashlib.sha256(repr((self.messages.locale, sorted(self.messages.table.items()))).encode())
        folder = self.templates / CSS_DIR
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
        return digest.hexdigest()

    def folded(self, name: str, args: list[str]) -> str | None:
        """The constant a call of a global with literal arguments stands for, or None."""
        # Anything unusual stays a call, which behaves and reports as before: a string the
        # catalog lacks (the call records it), a bad placeholder, a missing stylesheet.
        try:
            if name == "_" and len(args) == 1:
                found = self.messages.table.get(args[0])
                return found % {} if isinstance(found, str) and found else None
            if name == "css" and args:
                return str(self.globals["css"](*args))
        except (KeyError, ValueError, TypeError, TemplateNotFound):
            pass
        return None


class _FoldingCodeGenerator(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        assert isinstance(self.environment, SiteEnvironment)
        _Fold(self.environment, _assigned_names(node)).visit(node)
        super().visit_Template(node, frame)


class _Fold(NodeTransformer):
    """`_("literal")` and `css("a.css")` calls replaced by their value (safe when autoescaping,
    as the calls' Markup is)."""

    def __init__(self, env: SiteEnvironment, shadowed: set[str]) -> None:
        self.env, self.shadowed = env, shadowed

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        callee, args = node.node, node.args
        if (not isinstance(callee, nodes.Name) or callee.name in self.shadowed or node.kwargs
                or node.dyn_args or node.dyn_kwargs
                or not all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in args)):
            return node
        value = self.env.folded(callee.name, [a.value for a in args])
        if value is None:
            return node
        return nodes.MarkSafeIfAutoescape(nodes.Const(value, lineno=node.lineno), lineno=node.lineno)


def _assigned_names(node: nodes.Template) -> set[str]:
    """Names a template sets, imports or takes as arguments: a call of one of those is not ours."""
    names = {n.name for n in node.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {i.target for i in node.find_all(nodes.Import)}
    names |= {n if isinstance(n, str) else n[-1] for i in node.find_all(nodes.FromImport) for n in i.names}
    return names


def _stylesheets(env: Environment) -> Callable[..., Markup]:
    """`css("a.css", ...)`: files of templates/_css/ joined and minified once per environment."""
    done: dict[tuple[str, ...], Markup] = {}

    def css(*names: str) -> Markup:
        found = done.get(names)
        if found is None:
            assert env.loader is not None
            text = "".join(env.loader.get_source(env, f"{CSS_DIR}/{name}")[0] for name in names)
            found = done[names] = Markup(minify_css(text))
        return found

    return css


def _gettext(messages: Messages) -> Callable[..., str]:
    """`_()` as jinja2.ext.i18n's newstyle gettext does it (escaped, always %-formatted), for
    the calls that are not folded: with variables, or of a string the catalog lacks."""

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, msgid: str, **variables: Any) -> str:
        if not eval_ctx.autoescape:
            return messages.gettext(msgid) % variables
        return Markup(messages.gettext(msgid)) % variables

    return gettext


_escape_str = getattr(markupsafe, "_escape_inner", None)  # markupsafe 3's C escaper, if there


def escape(value: Any) -> str:
    """markupsafe.escape for the compiled templates' output expressions, without its two Python
    frames and its Markup wrapper for the common case, a plain str: Jinja only joins what these
    return (a macro's or block's joined output becomes Markup there), so the type is not needed,
    and it was a fifth of a page's template time."""
    if type(value) is str and _escape_str is not None:
        return _escape_str(value)  # type: ignore[no-any-return]
    return markupsafe.escape(value)


class FastEscapeTemplate(Template):
    """A template whose compiled code escapes output with escape() above: the same HTML, sooner."""

    @classmethod
    def from_code(cls, environment: Environment, code: Any, globals: Any,
                  uptodate: Callable[[], bool] | None = None) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        # the compiled functions look `escape` up in their module's namespace when they run
        template.root_render_func.__globals__["escape"] = escape
        return template


def make_env(templates: Path, messages: Messages, bytecode_cache: BytecodeCache | None = None) -> SiteEnvironment:
    """One environment per locale, its gettext bound to that locale's catalog."""
    env = SiteEnvironment(
        bytecode_cache=bytecode_cache,
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: templates cannot change under it
    )
    env.template_class = FastEscapeTemplate
    env.code_generator_class = _FoldingCodeGenerator
    env.messages, env.templates = messages, templates
    env.install_gettext_callables(messages.gettext, messages.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _gettext(messages)
    env.globals["css"] = _stylesheets(env)
    locale = messages.locale
    env.filters["date"] = lambda value: format_date(value, locale)
    env.filters["manat"] = lambda value: format_manat(value, locale)
    env.filters["host"] = lambda url: url.split("://", 1)[-1].rstrip("/")
    env.filters["sitename"] = lambda url: (urlsplit(url).hostname or url).removeprefix("www.")
    env.filters["cssmin"] = minify_css
    return env

