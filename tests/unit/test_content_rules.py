"""Each content rule of tests/content/rules.py on small fixtures: it passes good content and fails bad."""

from __future__ import annotations

import datetime as dt

from factcheck import claimreview, claims
from factcheck.essay import load_essay
from tests.conftest import ROOT
from tests.content import rules

ESSAY, _ = load_essay((ROOT / "essay.yml").read_bytes())


def search(i: str, aim: str = "question") -> dict:
    return {"id": i, "date": dt.date(2026, 12, 1), "source": "PubMed", "terms": "t", "aim": aim, "found": "f",
            "included": [], "excluded": "e"}


META = {"searches": [search("a"), search("b"), search("c", "contrary")]}


def test_searches_rule():
    assert rules.searches_problems(META) == []
    assert rules.searches_problems({"searches": META["searches"][:2]}) == ["2 logged search(es); at least 3 are needed",
                                                                          "no search with 'aim: contrary'"]
    assert rules.searches_problems({}) == ["0 logged search(es); at least 3 are needed", "no search with 'aim: contrary'"]
    assert rules.searches_problems({"searches": [search("a"), search("b"), search("c")]}) == ["no search with 'aim: contrary'"]


def test_absence_rule():
    good = "Intro.\nNo trial has measured this ([our search](#search-a)).\n```\nno study in code\n```\n"
    assert rules.absence_problems(good, META) == []
    assert rules.absence_problems("Intro.\nWe found no study of it.\n", META) == [
        "body line 2: a statement of absence without a link to a logged search: We found no study of it."]
    assert rules.absence_problems("This is the only trial ([search](#search-z)).\n", META) == [
        "body line 1: links to search 'z', which the page does not log"]
    assert rules.absence_problems("We found no trial ([a paper](other.md#search-a)).\n", META) != [], "another page's anchor"


def test_evidence_against_rule():
    cites = "## Evidence against\n\nA null trial [@x2020a].\n\n## References\n"
    none = "## Evidence against\n\nNone found as of 2026-12-01 ([search 1](#search-a), [search 2](#search-c)).\n"
    assert rules.evidence_against_problems(cites, META) == []
    assert rules.evidence_against_problems(none, META) == []
    assert rules.evidence_against_problems("## Other\n\nx\n", META) == ["no '## Evidence against' section"]
    assert rules.evidence_against_problems("## Evidence against\n\nNone found.\n", META) == [
        "'Evidence against' neither cites a study nor says 'None found as of YYYY-MM-DD'"]
    assert rules.evidence_against_problems("## Evidence against\n\nNone found as of 2026-12-01.\n", META) == [
        "'None found as of …' is not followed by links to the searches that were run"]
    assert rules.evidence_against_problems(none.replace("#search-c", "#search-q"), META) == [
        "'Evidence against' links to search 'q', which the page does not log"]
    assert rules.evidence_against_problems("## Evidence against\n\n`[@x2020a]`\n", META) != [], "code is not a citation"
    assert rules.evidence_against_problems("## Evidence against\n\nNone.\n\n## Later\n\n[@x2020a]\n", META) != [], "only its own section"


RISKS = """# What the essay leaves out

## Bottom line

Ketamine can raise blood pressure for a short time.
Heavy use can harm the bladder.

## What the evidence shows

### In people

Text.

### In animals

Text.

## How sure we are

Text.

## What we don't know

Text.

## Evidence against

None found as of 2026-12-01 ([search](#search-a)).
"""
HOME = "See [the risks](risks.md).\n"


def test_risks_page_rule():
    assert rules.risks_structure_problems(RISKS, META, HOME) == []
    assert rules.risks_structure_problems(RISKS, META, "No link.\n") == ["the home page does not link to risks.md"]
    assert rules.risks_structure_problems(RISKS.replace("### In animals", "### In mice"), META, HOME) == [
        "no '### In animals' under 'What the evidence shows'"]
    assert rules.risks_structure_problems(RISKS.replace("## How sure we are", "## Certainty"), META, HOME) == [
        "no '## How sure we are' section"]
    assert rules.risks_structure_problems(RISKS, {"searches": META["searches"][:1]}, HOME) == [
        "1 logged search(es); at least 3 are needed", "no search with 'aim: contrary'"]
    dense = RISKS.replace("Heavy use can harm the bladder.", "Pharmacological antagonism of N-methyl-D-aspartate receptors "
                          "precipitates ulcerative cystitis through incompletely characterised urothelial mechanisms.")
    (problem,) = rules.risks_structure_problems(dense, META, HOME)
    assert problem.startswith("the bottom line reads at Flesch-Kincaid grade")
    assert rules.risks_structure_problems(RISKS.replace("short time.", "short time [@x2020a]."), META, HOME) == [
        "the bottom line carries citations"]


def test_study_link_rule():
    assert rules.study_link_problems([("DOI", "https://doi.org/10.1/x")]) == []
    assert rules.study_link_problems([("Search PubMed for this title", "https://pubmed.ncbi.nlm.nih.gov/?term=%22T%22")]) == []
    assert rules.study_link_problems([]) == ["no identifier link and no labelled search link"]
    assert rules.study_link_problems([("Source", "javascript:alert(1)")]) == ["link 'Source' is not an http(s) address"]


def test_source_rule():
    meta = {"claim": "C", "verdict": "Accurate", "verdict_as_of": dt.date(2026, 12, 1), "certainty": "Low",
            "last_reviewed": dt.date(2026, 12, 1), "next_review": dt.date(2027, 12, 1), "title": "T?", "description": "D"}
    box = claims.verdict_box(meta, ESSAY)
    review, _ = claimreview.claim_jsonld(meta, "https://s/c/", "S", "https://s/", ESSAY)
    assert rules.source_problems(box, review, ESSAY) == []
    assert rules.source_problems(box.replace("<em>mindbodygreen</em>", "<em>a magazine</em>"), review, ESSAY) == ["the verdict box lacks the essay's outlet"]
    bare = {**review, "itemReviewed": {"@type": "Claim"}}
    assert rules.source_problems(box, bare, ESSAY) == [
        "itemReviewed.author is not the essay's author as a Person",
        f"itemReviewed.appearance.url is not {ESSAY.url!r}",
        f"itemReviewed.appearance.headline is not {ESSAY.title!r}",
        "itemReviewed.appearance.datePublished is not '2021-02-09'",
        "itemReviewed.appearance is not a CreativeWork published by the essay's outlet",
    ]
