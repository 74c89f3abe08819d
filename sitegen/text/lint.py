"""Content rules that keep the site trustworthy: official links only, no promotion, no fact typed into prose.

Every pattern here runs on contributors' text, so each is linear: no two unbounded repetitions that can trade
characters, and digit runs are matched only from their start.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..model import Fact
from .markdown import Parsed

_APPS = r"微信|weixin|wechat|telegram|whatsapp|电报|飞机|(?<![A-Za-z])tg"
PROMOTION = re.compile(
    r"(?i)(t\.me/|telegram\.(me|org|dog)|wa\.me/|chat\.whatsapp\.com|api\.whatsapp\.com|"
    r"weixin\.qq\.com|u\.wechat\.com|line\.me/|viber\.click|"
    r"\b(bit\.ly|tinyurl\.com|goo\.gl|t\.co|is\.gd|ow\.ly|cutt\.ly|rebrand\.ly|shorturl\.at|t\.cn|dwz\.cn)/|"
    rf"({_APPS})(号|群|id)?[\s:：@]{{0,4}}[A-Za-z][A-Za-z0-9_.-]{{3,}}|"
    r"加\s{0,3}(微信|v信|vx|wx|telegram|电报)|代充)"
)
_CODE_RUN = re.compile(r"[0-9*#]+")
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*[0-9]")
_DATE = re.compile(
    r"(?<![0-9])(?:([0-9]{4})年([0-9]{1,2})月(?:([0-9]{1,2})日)?|([0-9]{4})-([0-9]{2})-([0-9]{2}))(?![0-9])"
)
_PRICE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?) ?(?:AZN|azn|马纳特|₼|manat)|₼ ?([0-9]+(?:\.[0-9]+)?)")
_ADD_FACT = "add it to the facts with its source, then reference it as {{operator.key}}"
_NOT_BEFORE = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")  # a number goes on there


@dataclass(frozen=True)
class FactIndex:
    """Fact values as typed text would show them, each with the fact to reference instead."""

    codes: dict[str, str]  # '*100', '2112' -> 'nar.balance'
    prices: dict[Decimal, str]
    dates: dict[dt.date, str]

    @classmethod
    def of(cls, facts: Iterable[Fact]) -> FactIndex:
        index = cls({}, {}, {})
        for fact in sorted(facts, key=lambda f: f.ref_key):
            if fact.unit == "AZN":
                index.prices.setdefault(Decimal(fact.value), fact.ref_key)
            elif fact.unit is None and re.fullmatch(r"[*#+]?[0-9][0-9*# ]*(YES)?", fact.value):
                index.codes.setdefault(_code(fact.value), fact.ref_key)
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fact.value):
                index.dates.setdefault(dt.date.fromisoformat(fact.value), fact.ref_key)
            for day in filter(None, (fact.since, fact.as_of)):
                index.dates.setdefault(day, fact.ref_key)
        return index


def _code(value: str) -> str:
    """A code as compared: no spaces, no trailing call key or '#'."""
    return value.removesuffix("YES").replace(" ", "").rstrip("#")


def lint_source(
    src: str, body: str, line: int, parsed: Parsed, facts: FactIndex, allowed: Callable[[str], bool]
) -> list[Diagnostic]:
    """One Markdown file's problems (its body starts at line): promotion, links to hosts not allowed, typed facts."""
    promotion = "no messaging-app handles, resellers or link shorteners; link only to official sites"
    found = [
        Diagnostic(src, line + offset, f"promotion is not allowed ('{m.group(0).strip()}'): {promotion}")
        for offset, text in enumerate(body.split("\n"))
        if (m := PROMOTION.search(text))
    ]
    hosts = "link only to official sites, or add the host to external_hosts in site.yaml if it is official"
    found += [
        Diagnostic(src, n, f"external link to '{host}' is not on the allow-list; {hosts}")
        for n, url, host in parsed.external
        if (url.lower().startswith(("http", "//")) or host) and not allowed(host)
    ]
    for n, text, _ in parsed.prose:
        for typed, ref in sorted(set(typed_facts(text, facts))):
            use = f"use {{{{{ref}}}}}" if ref else _ADD_FACT
            message = f"'{typed}' is typed into the text; {use}, so it is sourced and kept up to date"
            found.append(Diagnostic(src, n, message, "warning", "typed-fact"))
    return found


def typed_facts(text: str, facts: FactIndex) -> Iterable[tuple[str, str]]:
    """(what was typed, the fact to reference or '') for codes, numbers, prices and dates."""
    if any(c.isdigit() for c in text):
        yield from _codes(text, facts)
        yield from _phones(text, facts)
        yield from _prices(text, facts)
        yield from _dates(text, facts)


def _codes(text: str, facts: FactIndex) -> Iterable[tuple[str, str]]:
    """USSD codes ('*' or '#' then a digit, with or without the closing '#') and short numbers that are facts."""
    for run in _CODE_RUN.finditer(text):
        chunk, start = run.group(0), run.start()
        if text[start - 1 : start] in _NOT_BEFORE:
            continue
        marks = range(len(chunk) - 1)  # a code starts at '*' or '#' before a digit, not after one
        starts = [i for i in marks if chunk[i] in "*#" and chunk[i + 1].isdigit() and not chunk[i - 1 : i].isdigit()]
        if starts:
            code = chunk[starts[0] :]
            if code.endswith("#") or code.startswith("*"):
                yield code, facts.codes.get(_code(code), "")
        elif chunk in facts.codes and len(chunk) >= 3:
            yield chunk, facts.codes[chunk]


def _phones(text: str, facts: FactIndex) -> Iterable[tuple[str, str]]:
    for match in _PHONE.finditer(text):
        number, start, end = match.group(0), match.start(), match.end()
        if len(number) < 7 or text[start - 1 : start] in _NOT_BEFORE or text[end : end + 1] in _NOT_BEFORE:
            continue
        yield number, facts.codes.get(_code(number), "")


def _prices(text: str, facts: FactIndex) -> Iterable[tuple[str, str]]:
    for match in _PRICE.finditer(text):
        amount = Decimal(match.group(1) or match.group(2))
        yield match.group(0), facts.prices.get(amount, "")


def _dates(text: str, facts: FactIndex) -> Iterable[tuple[str, str]]:
    for match in _DATE.finditer(text):
        year, month, day = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        try:
            date = dt.date(int(year), int(month), int(day or 1))
        except ValueError:
            yield match.group(0), ""
            continue
        yield match.group(0), facts.dates.get(date, "") if day else ""
