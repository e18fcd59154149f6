"""Work done on a second core while the site generator does its own: a forked child computes a value and hands it
back pickled, and the generator takes it when it first needs it.

A build renders the study pages and the files it generates (cards, exports) from the analysed site alone, while the
generator converts the hand-written pages; neither waits for the other until a study page is read. What the child
logs is logged again by the parent, so warnings still count in a strict build; an exception in the child is raised
in the parent with the child's traceback. Where `os.fork` is missing, or `CITEPAGES_JOBS=1` is set, the work is done
in place, when it is started.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BackgroundError(RuntimeError):
    """The work failed in the child; the message holds its traceback."""


def _in_child(work: Callable[[], T], out: int) -> None:
    logged: list[tuple[str, int, str]] = []
    logging.Logger.handle = lambda self, record: logged.append((record.name, record.levelno, record.getMessage()))
    try:
        with os.fdopen(out, "wb") as pipe:
            try:
                outcome = (True, work(), logged)
            except BaseException as error:  # noqa: BLE001 (every failure goes back to the parent, which raises it)
                outcome = (False, "".join(traceback.format_exception(error)), logged)
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)  # streamed: never a second copy in memory
    finally:
        os._exit(0)  # never back into the generator's code, its exit handlers or its buffered output


class Background(Generic[T]):
    """`work()`, started now in a child process; `result()` waits for it and returns it (or raises what it raised)."""

    def __init__(self, work: Callable[[], T]):
        self._pid: int | None = None
        if not hasattr(os, "fork") or os.environ.get("CITEPAGES_JOBS") == "1":
            self._outcome = (True, work(), [])
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _in_child(work, write)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                try:
                    outcome = pickle.load(pipe)
                except (EOFError, pickle.UnpicklingError) as error:
                    outcome = (False, f"its result could not be read ({error!r})", [])
            _, status = os.waitpid(self._pid, 0)
            self._pid, self._outcome = None, outcome
            if status and outcome[0]:
                self._outcome = (False, f"it ended with exit status {status}", [])
            for name, level, message in self._outcome[2]:
                logging.getLogger(name).log(level, message)
        ok, value, _ = self._outcome
        if not ok:
            raise BackgroundError(f"the background work failed:\n{value}")
        return value

    def cancel(self) -> None:
        """Stop the child, if it is still running (the build failed before it needed the result)."""
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.close(self._read)
            os.waitpid(self._pid, 0)
            self._pid = None
            self._outcome = (False, "cancelled", [])
