"""The benchmark's verdicts: each target check can fail, and fails on the data it is meant to catch."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _results(cpu_by_n: dict[int, float], floor: float = 300.0, bibtex: float = 130.0, check: float = 1.0, reload: float = 0.8,
             full: float = 150.0, peak: float = 250.0) -> dict:
    build = lambda s: {"wall_s": s, "cpu_s": s, "peak_mib": min(peak, 250.0), "peak_all_mib": peak}  # noqa: E731
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
    ("at most 0.30× the floor", {"floor": 250.0}, {"floor": 240.0}),
    ("at most 0.6× mkdocs-bibtex", {"bibtex": 124.0}, {"bibtex": 120.0}),
    ("peak memory of (1), its processes together, under 300 MiB", {"peak": 290.0}, {"peak": 310.0}),  # each process alone under 300
    ("`citepages check` under 2 s", {"check": 1.9}, {"check": 2.1}),
    ("reload after one claim edit under 1.0 s", {"reload": 0.9}, {"reload": 1.1}),
    ("shared rendering of study pages pays", {"full": 75.0}, {"full": 73.0}),
])
def test_each_target_can_fail(words, good, bad):
    sizes = {500: 20.0, 2000: 38.0, 5000: 74.0}
    assert _verdict(_results(sizes, **good), words)
    assert not _verdict(_results(sizes, **bad), words)


def test_r_squared_of_a_straight_line_is_one():
    assert bench._r_squared(_results({1: 3.0, 2: 5.0, 4: 9.0}), ["1", "2", "4"]) == pytest.approx(1.0)


def test_sizes_with_build_1_only_count_for_growth_and_the_comparisons_use_the_largest_compared_size():
    results = _results({500: 20.0, 5000: 74.0, 10000: 134.0}, floor=300.0, bibtex=100.0)
    del results["sizes"]["10000"]["builds"]["floor"], results["sizes"]["10000"]["builds"]["bibtex"]
    assert _verdict(results, "grows linearly") and _verdict(results, "at most 0.30× the floor")
    assert [text for _, text in bench.targets(results) if "mkdocs-bibtex" in text] == [
        "N = 5,000: (1) at most 0.6× mkdocs-bibtex: 0.74× wall (0.74× CPU); 74.0 s vs 100.0 s"]


def test_peak_memory_counts_a_background_process_too(tmp_path):
    """wait4(2) gives the largest single process's peak (and, after exec, at least the RSS of whoever started it);
    the build's background process adds its own memory, which the sampled sum counts."""
    script = ("import os, time\n"
              "if os.fork() == 0:\n"
              "    mine = b'y' * (60 * 2**20); time.sleep(1.5); os._exit(0)\n"
              "held = b'x' * (60 * 2**20); time.sleep(1.5); os.wait()\n")
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        time.sleep(0.8)  # both hold their 60 MiB now
        own, together = bench._pss_kib(process.pid), bench._tree_pss_kib(process.pid)
    finally:
        process.wait()
    assert own > 50 * 1024 and together - own > 50 * 1024, (own, together)
    run = bench.timed([sys.executable, "-c", script], tmp_path, tmp_path / "log")
    assert run["status"] == 0 and run["peak_all_mib"] > 110, run


def test_the_floor_of_the_real_site_is_plain_mkdocs_on_the_same_pages(tmp_path):
    """What `make bench` serves as the real site's floor: the same pages and config without citepages, and what the
    hook generates written out as files (the study pages as Markdown, kept out of the navigation)."""
    import shutil  # noqa: PLC0415

    copy, floor = tmp_path / "site", tmp_path / "floor"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "benchmarks", "site", ".site-*", "__pycache__", "*.egg-info", "tests"))
    bench._floor_of(copy, floor)
    config = bench.corpus.read_config(floor / "mkdocs.yml")
    assert "hooks" not in config and "watch" not in config and config["strict"] is False
    assert not [e for e in config["markdown_extensions"] if "citepages" in str(e)]
    assert config["nav"] == bench.corpus.read_config(copy / "mkdocs.yml")["nav"] and "/studies/*.md" in config["not_in_nav"]
    studies = list((floor / "docs" / "studies").glob("*.md"))
    assert len(studies) >= 100 and (floor / "docs" / "studies" / "index.md") in studies
    for page in (copy / "docs").rglob("*.md"):  # the hand-written pages as they are
        assert (floor / "docs" / page.relative_to(copy / "docs")).read_bytes() == page.read_bytes()
    assert not (floor / "generated").exists()


def test_the_report_gives_the_floors_reload_beside_the_sites():
    edits = [{"edit_to_reloaded_s": 2.5}]
    serve = {"median_edit_to_reloaded_s": 1.4, "median_build_s": 1.3, "first_build_s": 1.5, "page": "docs/x.md", "edits": edits,
             "all_edits_seen": True,
             "floor": {"median_edit_to_reloaded_s": 2.5, "median_build_s": 2.2, "first_build_s": 2.4, "edits": edits, "all_edits_seen": True}}
    text = "\n".join(bench._serve_lines(serve))
    assert "The same edits on the real site's floor" in text and "median 2.50 s" in text
    results = {**_results({500: 10.0, 5000: 60.0}), "serve": serve}
    assert not _verdict(results, "(plain MkDocs on the same pages: 2.50 s)")  # 1.40 s: the target is missed, and the floor shown
    assert "not measured: it failed" in "\n".join(bench._serve_lines({**serve, "floor": {"error": "it failed"}}))
