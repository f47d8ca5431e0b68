"""Work shared out to forked processes: parsing thousands of YAML files on a machine with several processors
takes about the time of one share. Where `fork` is missing, or a process fails, the caller does that share."""
from __future__ import annotations

import marshal
import os
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def available() -> int:
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def beside(here: Callable[[], T], elsewhere: list[Callable[[], object]]) -> tuple[T, list[Any]]:
    """(`here()`, the result of each of `elsewhere`, run meanwhile in a forked process each). Those results come
    back through marshal (plain data only, so typed Any: the caller checks their shape); one is None when its process failed (or cannot be forked): the caller
    then does that share itself."""
    if not hasattr(os, "fork"):
        return here(), [None] * len(elsewhere)
    children: list[tuple[int, int]] = []
    for work in elsewhere:
        children.append(_fork(work, [reading for _, reading in children]))
    try:
        result = here()
    except BaseException:  # (Ctrl-C, or a failure here): the children end on their closed pipes; reap them
        for _, reading in children:
            os.close(reading)
        for pid, _ in children:
            os.waitpid(pid, 0)
        raise
    return result, [_collect(pid, reading) for pid, reading in children]


def _fork(work: Callable[[], Any], others: list[int]) -> tuple[int, int]:
    """A child process running `work`, writing its result (marshal) to a pipe: (its pid, the reading end).
    `others`: the reading ends of the children before it, which it must not hold open."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers or flushes its output
        status = 1
        try:
            for descriptor in [reading, *others]:
                os.close(descriptor)
            payload = marshal.dumps(work())
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    return pid, reading


def _collect(pid: int, reading: int) -> Any:
    """A child's result; None when it failed."""
    with os.fdopen(reading, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
