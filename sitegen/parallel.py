"""Work shared out to forked worker processes with the standard library's process pool: forked, they share what the
build has assembled (site, converter, compiled templates) instead of receiving copies; only keys go out.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any

CHUNK = 32  # items per task: small enough to balance the workers, large enough to be cheap
MIN_PER_WORKER = 200  # below this, forking costs more than it saves
_PR_SET_PDEATHSIG = 1

_work: Callable[[Any], Any] | None = None  # what forked workers inherit


def default_jobs(items: int) -> int:
    """One worker per core the process may use, when there is enough work for each."""
    return min(len(os.sched_getaffinity(0)), items // MIN_PER_WORKER)


def run(work: Callable[[Any], Any], items: Sequence[Any], jobs: int, meanwhile: Callable[[], None]) -> Iterator[Any]:
    """work(item) for every item, in order; in `jobs` forked workers when there are two or more
    (0: default_jobs), else here. meanwhile() runs in this process while the workers work."""
    global _work
    jobs = default_jobs(len(items)) if jobs == 0 else jobs
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(work, items)
        meanwhile()
        return
    _work = work
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
            chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
            results = pool.imap(_run_chunk, chunks)
            meanwhile()
            for done in results:
                yield from done
    finally:
        _work = None


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _work is not None
    return [_work(item) for item in chunk]


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops the pool
    with contextlib.suppress(OSError, AttributeError):  # a worker must not outlive a killed build
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
