"""Mini-sites with logged searches: the strict build checks links to searches, and pages name the essay."""

from __future__ import annotations

import json
import re

from tests.conftest import make_site, mkdocs_build, problem_lines

BIB = """@article{yang2018ketamine,
  author = {Yang, Yan and Hu, Hailan},
  title = {Ketamine blocks bursting in the lateral habenula to rapidly relieve depression},
  journal = {Nature}, year = {2018}, doi = {10.1038/nature25509}, studytype = {animal},
  summary = {Ketamine stopped habenula bursting in rodents.}
}
"""
CLAIM = """---
title: Does it stop bursting?
description: A claim about bursting.
claim: Ketamine stops bursting.
quote: blocks this bursting activity
claim_number: 1
verdict: Misleading
verdict_meaning: It stops bursting in rodents only.
verdict_as_of: 2026-12-01
certainty: Very low
last_reviewed: 2026-12-01
next_review: 2027-12-01
verdict_history: []
searches:
  - id: bursting-people
    date: 2026-12-01
    source: PubMed (stored copies)
    terms: ketamine habenula bursting humans
    aim: question
    found: Animal work only.
    included: [yang2018ketamine]
    excluded: Nothing left out.
findings:
  - no_outcome: Animal studies only.
    certainty: Very low
    reasons: [indirectness]
    cites: [yang2018ketamine]
---

# Does it stop bursting?

## What the evidence shows

In rats [@yang2018ketamine].
No study has looked in people ([our search](#search-bursting-people)).

## Evidence against

None found as of 2026-12-01 ([search 1](#search-bursting-people)).
"""
HOME = "# Home\n\nThe essay: <!-- citepages:essay -->.\n"


def test_links_to_logged_searches_build_clean_and_land_in_the_collapsed_section(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": HOME, "claims/bursting.md": CLAIM})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert problem_lines(result.stderr) == []
    html = (site / "site" / "claims" / "bursting" / "index.html").read_text()
    section = html[html.index('id="how-we-searched"'):html.index('id="evidence-against"')]
    assert '<details class="search-log">' in section and 'id="search-bursting-people"' in section
    assert 'href="../../studies/yang2018ketamine/"' in section
    assert html.count('href="#search-bursting-people"') == 2
    assert "<strong>Source:</strong> Kaia Roman" in html
    review = next(json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
                  if '"ClaimReview"' in b)
    assert review["itemReviewed"]["appearance"]["publisher"]["name"] == "mindbodygreen"
    home = (site / "site" / "index.html").read_text()
    assert 'Kaia Roman, “<a href="https://www.mindbodygreen.com/articles/my-experience-using-ketamine-for-anxiety"' in home


def test_a_link_to_a_search_that_was_not_logged_fails_the_strict_build(tmp_path):
    broken = CLAIM.replace("([search 1](#search-bursting-people))", "([search 1](#search-bursting-animals))")
    result = mkdocs_build(make_site(tmp_path, BIB, {"index.md": HOME, "claims/bursting.md": broken}))
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "Doc file 'claims/bursting.md' contains a link '#search-bursting-animals', but there is no such anchor on this page."]


def test_a_search_including_an_unknown_key_stops_the_build_at_its_line(tmp_path):
    broken = CLAIM.replace("included: [yang2018ketamine]", "included: [yang2019]")
    result = mkdocs_build(make_site(tmp_path, BIB, {"index.md": HOME, "claims/bursting.md": broken}))
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "docs/claims/bursting.md:21:16: front matter: search 'bursting-people' includes unknown citation key 'yang2019' "
        "(did you mean 'yang2018ketamine'?)",
        "citepages: 1 problem(s) in the sources; nothing was built",
    ]
