"""Logged searches: the front-matter check (each rule passes good input and fails bad), and the rendered section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from citepages.bib import load_library
from citepages.pages import page_markdown
from factcheck import searchlog
from factcheck.frontmatter import parse
from tests.conftest import ROOT
from tests.evidence import analyse
from tests.unit.test_render import compare

GOLDENS = Path(__file__).parent / "goldens" / "searchlog"
ESSAY = (ROOT / "essay.yml").read_bytes()
BIB = (GOLDENS / "input.bib").read_text()
CLAIM_HEAD = """---
title: Does it?
description: A claim.
claim: It does.
quote: it does
claim_number: 1
verdict: Accurate
verdict_as_of: 2026-12-01
certainty: Low
last_reviewed: 2026-12-01
next_review: 2027-12-01
verdict_meaning: It does.
verdict_history: []
"""
FINDINGS = """findings:
  - no_outcome: Animal studies only.
    certainty: Low
    reasons: [indirectness]
    cites: [yang2018ketamine]
"""
GOOD = """searches:
  - id: habenula-people
    date: 2026-12-01
    source: PubMed (stored copies)
    terms: ketamine lateral habenula humans
    aim: question
    found: One animal study.
    included: [yang2018ketamine]
    excluded: Nothing left out.
  - id: habenula-null
    date: 2026-12-01
    source: PubMed (stored copies)
    terms: ketamine habenula "no effect"
    aim: contrary
    found: Nothing relevant.
    included: []
    excluded: Two reviews of other drugs, off the question.
"""
BODY = "---\n\n# Does it?\n\n## Evidence\n\nIn rats [@yang2018ketamine].\n"


def problems(front: str, path: str = "claims/x.md") -> list[str]:
    head, tail = (CLAIM_HEAD, FINDINGS) if path.startswith("claims/") else ("---\ntitle: Risks\n", "")
    site = analyse(BIB.encode(), {path: head + front + tail + BODY}, essay=ESSAY)
    return [str(p) for p in site.errors]


def test_good_searches_pass():
    assert problems(GOOD) == []
    assert problems(GOOD, "risks.md") == []


# Line 14 is the first line after the claim's fields: "searches:"; line 15 starts the first search.
@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    aim: question\n", "    aim: null-result\n",
     "docs/claims/x.md:19: front matter: search 1 ('habenula-people'): 'aim' must be one of: question, contrary, supporting (found 'null-result')"),
    ("    aim: contrary\n", "    aim: contrary\n    by: the editor\n",
     "docs/claims/x.md:28: front matter: search 2 ('habenula-null'): 'by' must be one of: second-review (found 'the editor')"),
    ("    included: []\n", "    included: [yang2018ketamine, later2022trial]\n",
     "docs/claims/x.md:29:34: front matter: search 'habenula-null' includes 'later2022trial', which the page does not cite "
     "(cite it, or move it to 'excluded')"),
    ("    date: 2026-12-01\n", "    date: last week\n",
     "docs/claims/x.md:16: front matter: search 1 ('habenula-people'): 'date' must be a date (YYYY-MM-DD) (found 'last week')"),
    ("    excluded: Nothing left out.\n", "",
     "docs/claims/x.md:15: front matter: search 1 ('habenula-people'): missing field 'excluded'"),
    ("    found: One animal study.\n", "    found: One animal study.\n    notes: extra\n",
     "docs/claims/x.md:21: front matter: search 1 ('habenula-people'): unknown field 'notes'"),
    ("  - id: habenula-people\n", "  - id: Habenula_People\n",
     "docs/claims/x.md:15: front matter: search 1 ('Habenula_People'): 'id' must be lower-case kebab-case, such as 'habenula-people'"),
    ("  - id: habenula-null\n", "  - id: habenula-people\n",
     "docs/claims/x.md:23: front matter: search 2 ('habenula-people'): 'id' is also the id of search 1; each search needs its own"),
    ("    included: []\n", "    included: yang2018ketamine\n",
     "docs/claims/x.md:29: front matter: search 2 ('habenula-null'): 'included' must be a list (found 'yang2018ketamine')"),
    ("    included: [yang2018ketamine]\n", "    included: [yang2018ketamine, 7]\n",
     "docs/claims/x.md:21: front matter: search 1 ('habenula-people'): 'included' item 2 must be a references.bib key (found 7)"),
    ("    terms: ketamine lateral habenula humans\n", "    terms: ''\n",
     "docs/claims/x.md:18: front matter: search 1 ('habenula-people'): 'terms' must be non-empty text (found '')"),
    ("    included: [yang2018ketamine]\n", "    included: [yang2018ketamine, yang2019]\n",
     "docs/claims/x.md:21:34: front matter: search 'habenula-people' includes unknown citation key 'yang2019' (did you mean 'yang2018ketamine'?)"),
])
def test_each_rule_fails_bad_searches_at_their_line(old, new, expected):
    assert GOOD.count(old) >= 1
    assert problems(GOOD.replace(old, new, 1)) == [expected]


def test_searches_that_are_not_a_list_of_mappings_fail():
    assert problems("searches: some\n") == ["docs/claims/x.md:14: front matter: 'searches' must be a list (found 'some')"]
    assert problems("searches:\n  - just words\n") == [
        "docs/claims/x.md:15: front matter: search 1 must be a mapping of: id, date, source, terms, aim, found, included, excluded"]
    assert problems("searches: some\n", "risks.md") == ["docs/risks.md:3: front matter: 'searches' must be a list (found 'some')"]


def test_topic_page_review_dates_are_dates_in_order():
    assert problems("last_reviewed: 2026-12-01\nnext_review: 2027-12-01\n", "risks.md") == []
    assert problems("last_reviewed: soon\n", "risks.md") == [
        "docs/risks.md:3: front matter: 'last_reviewed' must be a date (YYYY-MM-DD) (found 'soon')"]
    assert problems("last_reviewed: 2026-12-01\nnext_review: 2026-11-01\n", "risks.md") == [
        "docs/risks.md:4: front matter: 'next_review' must be after 'last_reviewed'"]


REVIEW = """reviewed:
  - date: 2026-12-06
    searches: [habenula-null]
    changed: Nothing; the verdict stands.
"""


def test_a_review_names_searches_logged_by_the_second_reviewer():
    by_second = GOOD.replace("    aim: contrary\n", "    aim: contrary\n    by: second-review\n")
    assert problems(by_second + REVIEW) == []
    assert problems(by_second + REVIEW, "risks.md") == []
    assert problems(GOOD + REVIEW) == [
        "docs/claims/x.md:33: front matter: review 1: search 'habenula-null' is not marked 'by: second-review'"]
    assert problems(by_second + REVIEW.replace("[habenula-null]", "[habenula-null, habenula-rats]")) == [
        "docs/claims/x.md:34: front matter: review 1: no search on this page has the id 'habenula-rats'"]
    assert problems(by_second + REVIEW.replace("    changed: Nothing; the verdict stands.\n", "")) == [
        "docs/claims/x.md:33: front matter: review 1: missing field 'changed'"]
    assert problems(by_second + "reviewed: soon\n") == ["docs/claims/x.md:32: front matter: 'reviewed' must be a list (found 'soon')"]
    assert problems(by_second + "reviewed:\n  - 2026-12-06\n") == [
        "docs/claims/x.md:33: front matter: review 1 must be a mapping of: date, searches, changed"]


def test_a_review_is_shown_with_links_to_its_searches():
    library, _ = load_library(BIB)
    meta, errors = parse(GOOD.replace("    aim: contrary\n", "    aim: contrary\n    by: second-review\n") + REVIEW, "x.md")
    assert errors == []
    html = searchlog.insert_searches("# Does it?\n", meta, library, lambda key: f"../../studies/{key}/")
    assert ('<p class="search-log__review"><strong>Second review, 6 December 2026</strong> '
            '(searches <a href="#search-habenula-null">2</a>): Nothing; the verdict stands.</p>') in html
    assert "<dt>By</dt><dd>A second reviewer, searching from scratch</dd>" in html


def rendered(body: str, searches: list | None) -> str:
    library, _ = load_library(BIB)
    return searchlog.insert_searches(body, {"searches": searches} if searches is not None else {}, library,
                                     lambda key: f"../../studies/{key}/")


def searches_of(front: str) -> list[dict]:
    meta, errors = parse(front, "x.md")
    assert errors == []
    return meta["searches"]


def test_how_we_searched_golden(update_goldens):
    """A topic page with three searches, rendered as the build renders it (the 2022 trial marked as after the essay)."""
    site = analyse(BIB.encode(), {"page.md": (GOLDENS / "page.md").read_text()}, essay=ESSAY)
    assert site.errors == []
    compare(GOLDENS / "page.expected.md", page_markdown(site, "page.md", site.docs["page.md"].text, lambda html: html), update_goldens)


def test_section_goes_before_evidence_against_else_references_else_at_the_end():
    searches = searches_of(GOOD)
    both = "# T\n\n## Evidence against\n\nNone.\n\n## References\n\nx\n"
    out = rendered(both, searches)
    assert out.index("## How we searched") < out.index("## Evidence against") < out.index("## References")
    out = rendered("# T\n\n## Findings\n\nx\n\n## References { data-search-exclude }\n\nx\n", searches)
    assert out.index("## Findings") < out.index("## How we searched") < out.index("## References")
    assert rendered("# T\n\nx\n", searches).rstrip().endswith("</details>")
    assert rendered("# T\n\n```\n## Evidence against\n```\n", searches).rstrip().endswith("</details>"), "not a heading in code"
    assert rendered(both, []) == both and rendered(both, None) == both


def test_each_search_has_its_anchor_fields_and_study_links():
    out = rendered("# T\n", searches_of(GOOD))
    assert "## How we searched { #how-we-searched }" in out
    assert '<details class="search-log">' in out and "<details open" not in out
    assert 'id="search-habenula-people"' in out and 'id="search-habenula-null"' in out
    assert '<a href="../../studies/yang2018ketamine/">Yang &#38; Hu 2018</a>' in out
    assert "<dt>Included</dt><dd>None</dd>" in out
    assert "2 searches, 1 of them for contrary evidence" in out
    for label in ("Date", "Searched", "Terms", "Aim", "Found", "Included", "Left out"):
        assert out.count(f"<dt>{label}</dt>") == 2, label


def test_logged_text_is_shown_as_typed_never_as_markup():
    hostile = searches_of(GOOD.replace('ketamine habenula "no effect"', "'<script>alert(1)</script> *x* [a](javascript:b)'"))
    out = rendered("# T\n", hostile)
    assert "<script>" not in out and "javascript:" not in out and "*x*" not in out
    assert "&#60;script&#62;" in out


@pytest.mark.parametrize(("line", "absent"), [
    ("No trial has measured this in people.", True),
    ("We found no study of it.", True),
    ("None found as of 2026-12-01.", True),
    ("This is the only human study.", True),
    ("There are just two small studies.", True),
    ("It has not been tested.", True),
    ("No one has shown it.", True),
    ("Neither of the two trials reported it.", True),
    ("Two trials reported it.", False),
    ("Neither large trial nor small study reported it.", True),
    ("The studies found an effect.", False),
    ("Notably, studies agree.", False),
    ("A `no study` code span is not prose.", False),
])
def test_statement_of_absence_rule(line, absent):
    assert bool(searchlog.absences(line + "\n")) is absent


def test_absences_skip_code_blocks_and_give_line_numbers():
    body = "First.\n\n```\nno study here\n```\n\nWe found no trial ([our search](#search-a-b)).\n"
    assert searchlog.absences(body) == [(7, "We found no trial ([our search](#search-a-b)).")]
    assert searchlog.search_links(body.splitlines()[6]) == ["a-b"]
    assert searchlog.search_links("See [the page](other.md#search-a).") == []


def test_dates_render_long():
    out = rendered("# T\n", [{**searches_of(GOOD)[0], "date": dt.date(2026, 12, 1)}])
    assert "<dt>Date</dt><dd>1 December 2026</dd>" in out


def test_history_records_a_change_of_verdict_or_of_certainty_never_a_mix():
    def history(change: str) -> str:
        return "verdict_history:\n  - {date: 2026-12-06, " + change + ", why: A trial with an active placebo.}\n"

    head = CLAIM_HEAD.replace("verdict_history: []\n", "")
    site = lambda front: analyse(BIB.encode(), {"claims/x.md": head + front + FINDINGS + BODY}, essay=ESSAY)  # noqa: E731
    assert [str(p) for p in site(history("from: Moderate, to: Low")).errors] == []
    assert [str(p) for p in site(history("from: Accurate, to: Imprecise")).errors] == []
    assert [str(p) for p in site(history("from: Accurate, to: Low")).errors] == [
        "docs/claims/x.md:14: front matter: verdict_history item 1: 'from' and 'to' must both be verdicts or both certainty levels"]
    from factcheck.claims import changelog

    meta = {**parse(head.removeprefix("---\n") + history("from: Moderate, to: Low"), "x.md")[0]}
    table = changelog({"claims/x.md": meta}, "about/changelog.md")
    assert "1 change of verdict or certainty recorded so far." in table
    assert 'certainty--moderate' in table and 'certainty--low' in table
