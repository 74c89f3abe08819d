"""Content rules that keep the site trustworthy: official links only, no promotion, facts not retyped."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from .assemble import Site
from .diagnostics import Report
from .markdown import Parsed
from .model import Source

PROMOTION = re.compile(
    r"(?i)(t\.me/|telegram\.(me|org|dog)|wa\.me/|chat\.whatsapp\.com|api\.whatsapp\.com|"
    r"weixin\.qq\.com|u\.wechat\.com|line\.me/|viber\.click|"
    r"\b(bit\.ly|tinyurl\.com|goo\.gl|t\.co|is\.gd|ow\.ly|cutt\.ly|rebrand\.ly|shorturl\.at|t\.cn|dwz\.cn)/|"
    r"(微信|weixin|wechat|telegram|whatsapp|电报|飞机|tg)\s*(号|群|id)?\s*[:：]?\s*@?[A-Za-z][A-Za-z0-9_.-]{3,}|"
    r"加\s*(微信|v信|vx|wx|telegram|电报)|代充)"
)
# Every alternative of PROMOTION contains one of these (lowercased): a body without any of them
# cannot match, and the regex, which tries every alternative at every character, is skipped.
_PROMOTION_CLUES = ("t.me/", "telegram", "wa.me/", "whatsapp", "weixin", "wechat", "line.me/",
                    "viber", "bit.ly", "tinyurl", "goo.gl", "t.co", "is.gd", "ow.ly", "cutt.ly",
                    "rebrand", "shorturl", "t.cn", "dwz.cn", "微信", "电报", "飞机", "tg", "加", "代充")
# ASCII-only lookarounds: a code typed right next to Chinese text must still be found.
USSD = re.compile(r"(?<![0-9A-Za-z])[*#]\d[\d*#]*#")
PHONE = re.compile(r"(?<![0-9A-Za-z.])\+?\d[\d \-]{5,}\d(?![0-9A-Za-z.])")
# What any PHONE match contains. Without lookarounds in front, the regex engine can skip to
# the next digit instead of trying the whole pattern at every character.
_DIGIT_RUN = re.compile(r"\d[\d \-]{5,}\d")


def lint_source(source: Source, parsed: Parsed, site: Site, report: Report) -> None:
    """One Markdown file: promotion, external hosts, codes typed instead of referenced."""
    _check_promotion(source.src, source.body, source.body_line, report)
    for line, url in parsed.external:
        host = urlsplit(url).hostname or ""
        if url.lower().startswith(("http://", "https://")) and not site.allowed_host(host):
            report.error(source.src, line, f"external link to '{host}' is not on the allow-list; "
                         "link only to official sites, or add the host to external_hosts in "
                         "site.yaml if it is official")
    typed = _typed_fact_patterns(site.dialable)
    if not _typed_codes("\n".join(text for _, text, _ in parsed.prose), typed):
        return  # the common case: one pass over all the text (no code can span a line break)
    for line, text, _ in parsed.prose:
        _check_typed_codes(source.src, line, text, typed, report)


def _check_promotion(src: str, body: str, first_line: int, report: Report) -> None:
    lowered = body.lower()
    if not any(clue in lowered for clue in _PROMOTION_CLUES) or not PROMOTION.search(body):
        return  # the common case
    for offset, line in enumerate(body.split("\n")):
        match = PROMOTION.search(line)
        if match:
            report.error(src, first_line + offset, f"promotion is not allowed ('{match.group(0).strip()}'): "
                         "no messaging-app handles, resellers or link shorteners; link only to "
                         "official sites")


@functools.lru_cache(maxsize=4)
def _typed_fact_patterns(dialable: frozenset[str]) -> list[tuple[str, re.Pattern[str]]]:
    """Each dialable fact value of 3+ characters with the pattern that finds it on its own."""
    return [(v, re.compile(rf"(?<![0-9A-Za-z*#]){re.escape(v)}(?![0-9A-Za-z*#])"))
            for v in sorted(dialable) if len(v) >= 3]


def _typed_codes(text: str, typed: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    found = USSD.findall(text) if "*" in text or "#" in text else []
    found += PHONE.findall(text) if _DIGIT_RUN.search(text) else []
    return found + [v for v, pattern in typed if v in text and pattern.search(text)]


def _check_typed_codes(src: str, line: int, text: str, typed: list[tuple[str, re.Pattern[str]]],
                       report: Report) -> None:
    for code in sorted(set(_typed_codes(text, typed))):
        report.warning(src, line, f"'{code.strip()}' is typed into the text; reference the fact "
                       "instead, e.g. {{operator.key}}, so it is sourced and kept up to date", "typed-code")
