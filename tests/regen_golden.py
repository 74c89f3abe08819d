"""Regenerate the golden tree of the fixture site: `python -m tests.regen_golden`.

Run it after an intended change to templates, catalogs or the fixture content, then
review `git diff tests/fixtures/site/expected` before committing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.conftest import SITE, build


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "public"
        result = build(SITE / "content", out)
        if result.code != 0:
            print(result.err, file=sys.stderr)
            return result.code
        expected = SITE / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
    print(f"wrote {expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
