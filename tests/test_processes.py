"""Work shared out to forked processes: results in order, and a failed process reported as None (not lost)."""
import os

import pytest

from pengaduan.core.processes import available, beside


def test_results_come_back_in_order():
    here, there = beside(lambda: os.getpid(), [lambda: [os.getpid(), "a"], lambda: {"b": (1, 2.5, None)}])
    assert here == os.getpid()
    assert there[0][0] != os.getpid() and there[0][1] == "a" and there[1] == {"b": (1, 2.5, None)}


def test_a_failed_process_gives_none_for_the_caller_to_redo():
    assert beside(lambda: "here", [lambda: 1 / 0, lambda: object(), lambda: "ok"]) == ("here", [None, None, "ok"])


def test_a_failure_here_is_raised_after_the_children_are_reaped():
    def fail():
        raise KeyError("here")
    with pytest.raises(KeyError):
        beside(fail, [lambda: "x" * 1_000_000, lambda: "y"])  # a payload larger than a pipe holds
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_processors_are_counted():
    assert available() >= 1
