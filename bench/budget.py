"""The 14 KB budget: `python bench/budget.py [SITE_DIR]` builds the real site (or measures a built
one) and prints the critical path of every page: gzip bytes of its HTML plus every stylesheet
and render-blocking script it loads. Exits 1 when a page is over budget.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BUDGET = 14 * 1024
REPO = Path(__file__).resolve().parent.parent
_TAG = re.compile(r"<(link|script)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z-]+)(?:="([^"]*)")?')


def _blocking(html: str) -> list[str]:
    """URLs of stylesheets and scripts that block rendering (no defer, async or module)."""
    urls = []
    for tag, attrs in _TAG.findall(html):
        a = {k.lower(): v for k, v in _ATTR.findall(attrs)}
        if tag.lower() == "link" and a.get("rel") == "stylesheet":
            urls.append(a.get("href", ""))
        elif (
            tag.lower() == "script" and "src" in a and not ({"defer", "async"} & a.keys()) and a.get("type") != "module"
        ):
            urls.append(a["src"])
    return urls


def critical_path_gzip(site: Path, page: Path, base_path: str) -> int:
    html = page.read_bytes()
    total = len(gzip.compress(html, 9, mtime=0))
    for url in _blocking(html.decode("utf-8")):
        if not url.startswith(base_path):
            raise ValueError(f"{page}: {url} is not on this site")
        total += len(gzip.compress((site / url.removeprefix(base_path)).read_bytes(), 9, mtime=0))
    return total


def measure(site: Path, base_path: str) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): critical_path_gzip(site, p, base_path)
        for p in sorted(site.rglob("*.html"))
        if "pagefind" not in p.parts
    }


def main() -> int:
    if len(sys.argv) > 1:
        site, base_path = Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "/"
        return report(measure(site, base_path))
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "public"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sitegen.cli",
                "build",
                "--root",
                str(REPO),
                "--out",
                str(site),
                "--base-url",
                "https://example.org/",
                "--no-cache",
            ],
            check=True,
            cwd=REPO,
            capture_output=True,
        )
        return report(measure(site, "/"))


def report(sizes: dict[str, int]) -> int:
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:10]:
        print(f"{size:6d} B  {name}")
    heaviest = max(sizes.values())
    print(f"{len(sizes)} pages; largest critical path {heaviest} B gzip of {BUDGET} B budget ({heaviest / BUDGET:.0%})")
    return 0 if heaviest <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
