"""No Markdown costs the citation scanner more than linear time. Each shape that once cost quadratic or cubic time
(or could, given how the scanner reads) is read at two sizes in one run: eight times the text may cost at most
thirty times the time (linear is about eight, quadratic sixty-four). Time is this thread's CPU time, the best of
at least three runs of each size taken in turn (more while the ratio is over the bound, up to fifteen, as a busy machine
slows some runs), so that neither other work on the machine nor another thread of the test process counts; no absolute
time is asserted. Quadratic growth (64×) fails however many runs are taken."""

from __future__ import annotations

import gc
import time

import pytest

from citepages.citations import analyse

N = 10_000  # characters in the smaller text
ROUNDS = 15  # at most; three suffice on a quiet machine
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


def timed(text: str) -> float:
    """The CPU time of one analysis of `text` by this thread, the garbage collector off as `timeit` has it."""
    gc.collect()
    gc.disable()
    try:
        start = time.thread_time()
        analyse("docs/x.md", text)
        return time.thread_time() - start
    finally:
        gc.enable()


@pytest.mark.parametrize("shape", SHAPES)
def test_eight_times_the_text_costs_at_most_thirty_times_the_time(shape):
    make = SHAPES[shape]
    texts = make(N), make(8 * N)
    small = large = float("inf")
    for done in range(1, ROUNDS + 1):  # the two sizes in turn, so that a busy spell of the machine falls on both
        small, large = min(small, timed(texts[0])), min(large, timed(texts[1]))
        if done >= 3 and large <= 30 * small:
            break
    assert large <= 30 * small, f"{shape}: 8 times the text took {large / small:.0f} times the time"
