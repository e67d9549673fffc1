"""Run a generator in a forked child process and yield its items here: parsing a big export on one
core while the other writes to the database. Falls back to running in-process where fork is missing."""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_DONE = "itops-pipeline-done"
_FAILED = "itops-pipeline-failed"


class PipelineError(RuntimeError):
    """The producer failed; the message carries its exception."""


def _produce(factory: Callable[[], Iterator[Any]], queue: Any) -> None:
    try:
        for item in factory():
            queue.put(item)
        queue.put(_DONE)
    except BaseException as exc:  # reported to the consumer, which raises it
        queue.put((_FAILED, f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def pipelined(factory: Callable[[], Iterator[T]], depth: int = 4) -> Iterator[T]:
    """Items of ``factory()``, produced in a child process (at most ``depth`` ahead of the consumer)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        yield from factory()
        return
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=depth)
    child = context.Process(target=_produce, args=(factory, queue), daemon=True)
    child.start()
    try:
        while True:
            item = queue.get()
            if isinstance(item, str) and item == _DONE:
                break
            if isinstance(item, tuple) and item and item[0] == _FAILED:
                error_type, _, message = item[1].partition(": ")
                raise PipelineError(message if error_type in ("SourceError", "MappingError") else item[1])
            yield item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        queue.close()
