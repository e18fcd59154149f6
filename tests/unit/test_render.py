"""Rendered output against readable golden files (run pytest with --update-goldens to rewrite them)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from citepages.bib import load_library
from citepages.render import Backlink, render_index, render_study, study_page

GOLDENS = Path(__file__).parent / "goldens"


def compare(path: Path, actual: str, update: bool) -> None:
    """`actual` must equal the golden file; only --update-goldens writes one (a missing file fails)."""
    if update:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run pytest with --update-goldens to write it, then review it"
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs; review and run with --update-goldens"


def library_of(case: str):
    library, problems = load_library((GOLDENS / case / "input.bib").read_bytes())
    assert problems == []
    return library


@pytest.mark.parametrize("case", ["article", "regulatory"])
def test_study_page(case, update_goldens):
    library = library_of(case)
    backlink = Backlink("claims/example.md", "what-the-evidence-shows", "An example claim", "What the evidence shows")
    for key, entry in library.entries.items():
        source = f"https://example.org/references.bib#L{entry.line}"
        compare(GOLDENS / case / f"{key}.expected.md", render_study(entry, [backlink], source), update_goldens)
        compare(GOLDENS / case / f"{key}.expected.html", study_page(entry, [backlink], source).html, update_goldens)
    compare(GOLDENS / case / "index.expected.md", render_index(library, {}), update_goldens)


def test_a_missing_golden_file_fails_unless_asked_to_write_it(tmp_path):
    missing = tmp_path / "new.expected.md"
    with pytest.raises(AssertionError, match="is missing"):
        compare(missing, "text", update=False)
    assert not missing.exists(), "a failing run writes nothing"
    compare(missing, "text", update=True)
    assert missing.read_text() == "text"
    with pytest.raises(AssertionError, match="differs"):
        compare(missing, "other", update=False)


def test_a_study_without_identifiers_links_to_a_labelled_pubmed_title_search():
    from citepages.render import PUBMED_SEARCH, links, reference_html

    bare = ('@article{bare2000a, author = {Bare, A}, title = {Ketamine "quoted" & <odd> #title?}, journal = {J}, year = {2000}}\n'
            "@article{doi2000a, author = {Doi, A}, title = {Has a DOI}, journal = {J}, year = {2000}, doi = {10.1000/x}}\n")
    library, problems = load_library(bare)
    assert problems == []
    (label, href), = links(library.entries["bare2000a"])
    assert label == PUBMED_SEARCH == "Search PubMed for this title"
    assert href == "https://pubmed.ncbi.nlm.nih.gov/?term=%22Ketamine%20%22quoted%22%20%26%20%3Codd%3E%20%23title%3F%22"
    assert all(label != PUBMED_SEARCH for label, _ in links(library.entries["doi2000a"]))
    for html_text in (reference_html(library.entries["bare2000a"], "s/"), study_page(library.entries["bare2000a"], [], "b").html):
        assert f'<a href="{html.escape(href)}" rel="noopener">Search PubMed for this title</a>' in html_text
