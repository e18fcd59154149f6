"""The benchmark's verdicts: each target check can fail, and fails on the data it is meant to catch."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _results(cpu_by_n: dict[int, float], floor: float = 200.0, bibtex: float = 30.0, check: float = 1.0, reload: float = 1.2,
             full: float = 150.0) -> dict:
    build = lambda s: {"wall_s": s, "cpu_s": s, "peak_mib": 300.0}  # noqa: E731
    return {
        "sizes": {str(n): {"builds": {"citepages": build(s), "citepages-full": build(full), "floor": build(floor), "bibtex": build(bibtex)},
                           "check": {"wall_s": check}} for n, s in cpu_by_n.items()},
        "parse_count": {"calls": {"bibtexparser.parse_string": 1}},
        "serve": {"median_edit_to_reloaded_s": reload},
    }


def _verdict(results: dict, words: str) -> bool:
    [(ok, _)] = [(ok, text) for ok, text in bench.targets(results) if words in text]
    return ok


def test_linear_growth_passes_and_super_linear_growth_fails():
    assert _verdict(_results({500: 20.0, 2000: 38.0, 5000: 74.0}), "grows linearly")
    assert not _verdict(_results({500: 20.0, 2000: 38.0, 5000: 140.0}), "grows linearly")  # slope doubles
    assert not _verdict(_results({500: 20.0, 2000: 61.0, 5000: 70.0}), "grows linearly")  # no straight line


@pytest.mark.parametrize(("words", "good", "bad"), [
    ("at most 0.4× the floor", {"floor": 190.0}, {"floor": 180.0}),
    ("less wall time than mkdocs-bibtex", {"bibtex": 80.0}, {"bibtex": 70.0}),
    ("`citepages check` under 2 s", {"check": 1.9}, {"check": 2.1}),
    ("reload after one claim edit under 1.5 s", {"reload": 1.4}, {"reload": 1.6}),
    ("shared rendering of study pages pays", {"full": 75.0}, {"full": 73.0}),
])
def test_each_target_can_fail(words, good, bad):
    sizes = {500: 20.0, 2000: 38.0, 5000: 74.0}
    assert _verdict(_results(sizes, **good), words)
    assert not _verdict(_results(sizes, **bad), words)


def test_r_squared_of_a_straight_line_is_one():
    assert bench._r_squared(_results({1: 3.0, 2: 5.0, 4: 9.0}), ["1", "2", "4"]) == pytest.approx(1.0)


def test_sizes_with_build_1_only_count_for_growth_and_the_comparisons_use_the_largest_compared_size():
    results = _results({500: 20.0, 5000: 74.0, 10000: 134.0}, floor=200.0, bibtex=70.0)
    del results["sizes"]["10000"]["builds"]["floor"], results["sizes"]["10000"]["builds"]["bibtex"]
    assert _verdict(results, "grows linearly") and _verdict(results, "at most 0.4× the floor")
    assert [text for _, text in bench.targets(results) if "mkdocs-bibtex" in text] == [
        "N = 5,000: (1) less wall time than mkdocs-bibtex: 74.0 s vs 70.0 s (the floor alone: 200.0 s)"]
