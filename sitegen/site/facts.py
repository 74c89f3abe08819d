"""How a fact's value appears on a page: tap-to-call codes, links, prices; the same in both scripts."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from markupsafe import Markup

from ..model import Fact
from .i18n import Messages, babel_data, format_date, format_manat

_DIALABLE = re.compile(r"^[*#+]?[0-9][0-9*# ]*(YES)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_dialable(value: str) -> bool:
    """Codes and numbers a phone can dial: digits, * # + and spaces, maybe ending in YES."""
    return len(value) >= 3 and bool(_DIALABLE.match(value))


def tel_href(value: str) -> str:
    """`tel:` URL of a code: spaces and the trailing YES (the call key) dropped, # as %23."""
    return "tel:" + value.removesuffix("YES").replace(" ", "").replace("#", "%23")


def fact_html(fact: Fact, locale: str, messages: Messages, today: dt.date | None = None) -> Markup:
    """Safe HTML for a fact value (never converted), its `since` date and, when due on `today`, its `checked` date."""
    html = _value_html(fact, locale, messages)
    if fact.since is not None:
        since = messages.gettext("since %(date)s") % {"date": format_date(fact.since, locale)}
        html += f'<span class="since">{escape(since)}</span>'
    if today is not None and fact.due(today):
        checked = messages.gettext("checked %(date)s") % {"date": format_date(fact.checked, locale)}
        html += f'<small class="fact-checked">{escape(checked)}</small>'
    return Markup(html)


def _value_html(fact: Fact, locale: str, messages: Messages) -> str:
    value = fact.value
    if fact.unit == "AZN":
        abbr = f'<abbr title="{escape(babel_data(locale).currencies["AZN"])}">AZN</abbr>'
        return f'<span class="fact">{escape(format_manat(value, locale)).replace("AZN", abbr)}</span>'
    if fact.unit == "days":
        text = messages.ngettext("%(num)s day", "%(num)s days", int(float(value))) % {"num": value}
        return f'<span class="fact">{escape(text)}</span>'
    if _ISO_DATE.match(value):
        day = format_date(dt.date.fromisoformat(value), locale)
        return f'<time class="fact" datetime="{value}">{escape(day)}</time>'
    if is_dialable(value):
        return f'<a class="fact tel" href="{escape(tel_href(value))}"><code>{escape(value)}</code></a>'
    if "*" in value or "#" in value:
        return f'<code class="fact">{escape(value)}</code>'
    if value.startswith("https://"):
        shown = value.removeprefix("https://").rstrip("/")
        return f'<a class="fact" href="{escape(value)}" rel="noopener">{escape(shown)}</a>'
    return f'<span class="fact">{escape(value)}</span>'


# The code card's groups, by the start of a fact's key (the longest match wins); the rest are "other".
CODE_GROUPS = {
    "balance": "balance",
    "balance-transfer": "top-up",
    "topup": "top-up",
    "sos": "top-up",
    "package": "packages",
    "hotline": "help",
    "app": "help",
}
GROUP_ORDER = ("balance", "top-up", "packages", "help", "other")


def is_code(fact: Fact) -> bool:
    """A code or number to dial or text: no unit, and digits with * # + (placeholders allowed)."""
    return fact.unit is None and not fact.history and (is_dialable(fact.value) or bool(re.search(r"[*#]", fact.value)))


def code_groups(facts: tuple[Fact, ...]) -> list[tuple[str, list[Fact]]]:
    """An operator's codes grouped by task, in GROUP_ORDER, each group in data order."""
    groups: dict[str, list[Fact]] = {name: [] for name in GROUP_ORDER}
    for fact in filter(is_code, facts):
        starts = [p for p in CODE_GROUPS if fact.key == p or fact.key.startswith(p + "-")]
        groups[CODE_GROUPS[max(starts, key=len)] if starts else "other"].append(fact)
    return [(name, rows) for name, rows in groups.items() if rows]
