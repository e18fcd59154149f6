"""No Markdown costs the citation scanner more than linear time. Each shape that once cost quadratic or cubic time
(or could, given how the scanner reads) is read at two sizes in one run: eight times the text may cost at most
thirty times the time (linear is about eight, quadratic sixty-four). Time is this process's CPU time, the best of
several runs, so that other work on the machine does not count; no absolute time is asserted."""

from __future__ import annotations

import gc
import time

import pytest

from citepages.citations import analyse

N = 10_000  # characters in the smaller text
SHAPES = {
    "a heading of spaces": lambda n: "# a" + " " * n + "b\n",
    "a run of backticks": lambda n: "`" * n,
    "backtick runs of a few lengths": lambda n: "".join("`" * (i % 7 + 1) + "a" for i in range(n // 5)),
    "backtick runs of distinct lengths": lambda n: "".join("`" * k + "a" for k in range(1, int((2 * n) ** 0.5))),
    "escaped backtick runs": lambda n: "\\``a" * (n // 4),
    "[ followed by @": lambda n: "[@" * (n // 2),
    "[@key runs": lambda n: "[@a " * (n // 4),
    "unclosed [": lambda n: "[" * n,
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "unclosed <!--": lambda n: "<!--" * (n // 4),
    "unclosed <!-- lines": lambda n: "<!--\n" * (n // 5),
    "unclosed <style> lines": lambda n: "<style>\n" * (n // 8),
    "unclosed <http:": lambda n: "<http:" * (n // 6),
    "unclosed attribute": lambda n: '<a title="' * (n // 10),
    "unclosed ](": lambda n: "](" * (n // 2),
    "unclosed link address": lambda n: "[a](" * (n // 4),
    "dotted words": lambda n: "a." * (n // 2),
    "a dotted address": lambda n: "a." * (n // 2) + "://",
    "@ runs": lambda n: "@a" * (n // 2),
    "-@ runs": lambda n: "-@" * (n // 2),
    "narrative keys before brackets": lambda n: "@a [" * (n // 4),
    "unclosed braced keys": lambda n: "@{" * (n // 2),
}


def cost(text: str, budget: float = 0.03) -> float:
    """The least CPU time one analysis of `text` takes, over at least three runs and `budget` seconds."""
    best, spent, runs = float("inf"), 0.0, 0
    gc.collect()
    while runs < 3 or spent < budget:
        start = time.process_time()
        analyse("docs/x.md", text)
        took = time.process_time() - start
        best, spent, runs = min(best, took), spent + took, runs + 1
    return best


@pytest.mark.parametrize("shape", SHAPES)
def test_eight_times_the_text_costs_at_most_thirty_times_the_time(shape):
    make = SHAPES[shape]
    small, large = cost(make(N)), cost(make(8 * N))
    assert large <= 30 * small, f"{shape}: 8 times the text took {large / small:.0f} times the time"
