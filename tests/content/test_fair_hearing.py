"""A fair hearing for every claim, over the real pages: the essay named, every search logged and shown,
every statement of absence backed by a search, evidence against weighed, the risks page complete,
and every study one click from its paper. The rules themselves are in tests/content/rules.py."""

from __future__ import annotations

import pytest

from citepages.render import links
from citepages.pages import Project
from factcheck import claimreview, claims
from factcheck.claims import is_claim
from tests.conftest import ROOT
from tests.content import rules

DOCS = ROOT / "docs"
SITE = Project.find(config=ROOT / "mkdocs.yml").load()  # as the build analyses it: the engine and the evidence layer
CLAIMS = sorted(src for src in SITE.docs if is_claim(src))
RISKS = "risks.md"
LOGGED = CLAIMS + ([RISKS] if RISKS in SITE.docs else [])


def test_the_essay_file_is_valid():
    assert SITE.extra.get("essay") is not None, [str(p) for p in SITE.problems if p.path == "essay.yml"]


@pytest.mark.parametrize("src", CLAIMS)
def test_claim_page_and_its_claim_review_name_the_essay(src):
    meta = SITE.meta[src]
    review, _ = claimreview.claim_jsonld(meta, f"https://example.org/{src}", "Site", "https://example.org/", SITE.extra["essay"])
    assert rules.source_problems(claims.verdict_box(meta, SITE.extra["essay"]), review, SITE.extra["essay"]) == []


@pytest.mark.parametrize("src", LOGGED)
def test_page_logs_at_least_three_searches_one_of_them_contrary(src):
    assert rules.searches_problems(SITE.meta[src]) == []


@pytest.mark.parametrize("src", LOGGED)
def test_every_statement_of_absence_links_to_a_logged_search(src):
    assert rules.absence_problems(SITE.docs[src].text, SITE.meta[src]) == []


@pytest.mark.parametrize("src", LOGGED)
def test_evidence_against_cites_a_study_or_says_none_found_with_its_searches(src):
    assert rules.evidence_against_problems(SITE.docs[src].text, SITE.meta[src]) == []


@pytest.mark.skipif(RISKS not in SITE.docs, reason="docs/risks.md is not written yet")
def test_risks_page_structure():
    assert rules.risks_structure_problems(SITE.docs[RISKS].text, SITE.meta[RISKS], SITE.docs["index.md"].text) == []


def test_every_study_page_links_to_its_paper_or_a_labelled_search():
    failing = {key: rules.study_link_problems(links(entry)) for key, entry in SITE.library.entries.items()}
    assert {key: problems for key, problems in failing.items() if problems} == {}
