"""citepages.background: work on a second core, handed back whole, its failures and log lines included."""

from __future__ import annotations

import logging
import os

import pytest

from citepages.background import Background, BackgroundError


def test_the_result_comes_back_from_another_process():
    work = Background(lambda: {"pid": os.getpid(), "pages": ["<p>é</p>" * 1000] * 200})
    result = work.result()
    assert result["pid"] != os.getpid()  # computed in the child
    assert result["pages"] == ["<p>é</p>" * 1000] * 200  # more than a pipe holds at once: streamed, not lost
    assert work.result() is result  # taken once, kept


def test_without_a_second_process_the_work_is_done_in_place(monkeypatch):
    monkeypatch.setenv("CITEPAGES_JOBS", "1")
    assert Background(os.getpid).result() == os.getpid()


def _fails():
    raise ValueError("a bug in a renderer")


def test_a_failure_in_the_child_is_raised_in_the_parent_with_its_traceback():
    work = Background(_fails)
    with pytest.raises(BackgroundError) as raised:
        work.result()
    assert "ValueError: a bug in a renderer" in str(raised.value) and "_fails" in str(raised.value)


def test_what_the_child_logs_is_logged_by_the_parent(caplog):
    def work():
        logging.getLogger("mkdocs.citepages").warning("a warning from the child")
        return 1

    with caplog.at_level(logging.WARNING):
        assert Background(work).result() == 1
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [("mkdocs.citepages", logging.WARNING, "a warning from the child")]


def test_a_child_that_dies_is_a_failure_not_a_hang():
    work = Background(lambda: os._exit(3))
    with pytest.raises(BackgroundError, match="could not be read|exit status"):
        work.result()


def test_cancel_stops_the_child():
    work = Background(lambda: __import__("time").sleep(600))
    pid = work._pid
    work.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped
    with pytest.raises(BackgroundError, match="cancelled"):
        work.result()
