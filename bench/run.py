"""Benchmark: `python bench/run.py [N ...]` (default 1000 10000).

For each N: generate the corpus, then time (median of --runs) a cold `sitegen build` (both
scripts, no cache) and a no-change rebuild, with peak memory; if `hugo` is on PATH, the same
corpus is built by Hugo (one script) in the same run and ratios are printed. Old outputs are
moved aside, never deleted between timed runs (deleting 10,000 files right before writing
10,000 distorts the figure on this disk).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command, measured with GNU time when available."""
    wrapper = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    proc = subprocess.run(wrapper + cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    rss = int(proc.stderr.strip().splitlines()[-1]) if wrapper else 0
    return elapsed, rss


def aside(path: Path, graveyard: Path) -> None:
    if path.exists():
        path.rename(graveyard / f"{path.name}-{time.monotonic_ns()}")


def bench_sitegen(site: Path, runs: int, graveyard: Path, search: bool) -> dict[str, list[float]]:
    cmd = [sys.executable, "-m", "sitegen.cli", "build", "--root", str(REPO), "--content",
           str(site / "content"), "--out", str(site / "public")] + ([] if search else ["--no-search"])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result: dict[str, list[float]] = {"cold": [], "rebuild": [], "cold_rss": [], "rebuild_rss": []}
    for _ in range(runs):
        aside(site / "public", graveyard)
        aside(REPO / ".sitegen-cache", graveyard)
        t, rss = timed(cmd, site, env)
        result["cold"].append(t)
        result["cold_rss"].append(rss)
        t, rss = timed(cmd, site, env)
        result["rebuild"].append(t)
        result["rebuild_rss"].append(rss)
    return result


def bench_hugo(hugo: Path, runs: int, graveyard: Path) -> dict[str, list[float]] | None:
    exe = shutil.which("hugo")
    if exe is None:
        return None
    result: dict[str, list[float]] = {"cold": [], "rebuild": [], "cold_rss": [], "rebuild_rss": []}
    for _ in range(runs):
        aside(hugo / "public", graveyard)
        aside(hugo / "resources", graveyard)
        t, rss = timed([exe, "--quiet"], hugo)
        result["cold"].append(t)
        result["cold_rss"].append(rss)
        t, rss = timed([exe, "--quiet"], hugo)
        result["rebuild"].append(t)
        result["rebuild_rss"].append(rss)
    return result


def hugo_version() -> str:
    exe = shutil.which("hugo")
    return subprocess.run([exe, "version"], capture_output=True, text=True).stdout.strip() if exe else "not installed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--search", action="store_true",
                        help="include the Pagefind index (Hugo builds none, so ratios are then not like for like)")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"hugo: {hugo_version()}")
    report = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-", dir=os.environ.get("BENCH_TMP")) as tmp:
            root = Path(tmp)
            graveyard = root / "aside"
            graveyard.mkdir()
            site, hugo = write_corpus(root, n)
            ours = bench_sitegen(site, args.runs, graveyard, args.search)
            theirs = bench_hugo(hugo, args.runs, graveyard)
        med = {k: statistics.median(v) for k, v in ours.items()}
        line = (f"N={n}: sitegen (2 scripts{', with search' if args.search else ''}) cold {med['cold']:.2f} s, no-change rebuild "
                f"{med['rebuild']:.2f} s, peak {med['cold_rss'] / 1024:.0f} MiB")
        if theirs:
            hm = {k: statistics.median(v) for k, v in theirs.items()}
            line += (f"; hugo (1 script) cold {hm['cold']:.2f} s, peak {hm['cold_rss'] / 1024:.0f} MiB; "
                     f"ratios: cold {med['cold'] / hm['cold']:.2f}x, rebuild/hugo-cold "
                     f"{med['rebuild'] / hm['cold']:.3f}x, memory {med['cold_rss'] / max(hm['cold_rss'], 1):.2f}x")
        print(line, flush=True)
        report[n] = {"sitegen": ours, "hugo": theirs}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
