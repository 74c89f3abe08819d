"""Work done by a forked child while this process goes on: how the serial stages of a large
build (reading every guide's front matter, checking every output's stat) use a second core.

Threads would take turns on the GIL. This module imports nothing heavy: the no-change check
uses it, and that check never loads more than it needs.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def in_child(work: Callable[[], T], worth_it: bool,
             dumps: Callable[[Any], bytes] = marshal.dumps,
             loads: Callable[[bytes], Any] = marshal.loads) -> Callable[[], T]:
    """work() started in a forked child; the function returned waits for its result, sent
    back with dumps/loads (marshal by default: cheap to import). When not worth_it, without
    fork or a second CPU, or if the child fails, work runs here when its result is asked for."""
    if not worth_it or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return work
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            data = dumps(work())
            with open(write, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)  # no exit handlers, no flushing of the parent's buffers
    os.close(write)

    def result() -> T:
        with open(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:  # the child died or raised: do its part here
            return work()
        return loads(data)  # type: ignore[no-any-return]

    return result
