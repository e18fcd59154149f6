"""The summary of findings: its rows checked in the front matter, each problem at its line, and rendered as a table
whose citations link like every other."""

from __future__ import annotations

import pytest

from citepages.pages import page_markdown
from factcheck import findings, frontmatter
from tests.conftest import ROOT
from tests import evidence
from tests.unit.test_searchlog import BIB, CLAIM_HEAD

ESSAY = (ROOT / "essay.yml").read_bytes()
# CLAIM_HEAD ends at line 13; "findings:" is line 14, the first row starts on line 15, the second on line 25.
GOOD = """findings:
  - outcome: Depression score
    time: 24 hours after one infusion
    comparison: Ketamine against saline
    studies: 2
    participants: 40
    effect: difference -5.8 points
    interval: 95% CI -13.3 to 1.6
    certainty: Low
    reasons: [imprecision]
    cites: [yang2018ketamine]
  - no_outcome: Animal studies only for the mechanism.
    certainty: Low
    reasons: [indirectness]
    cites: [yang2018ketamine]
"""
BODY = "---\n\n# Does it?\n\n## Bottom line\n\nIt may.\n\n## What the evidence shows\n\nIn rats [@yang2018ketamine].\n"


def site_for(front: str):
    return evidence.analyse(BIB.encode(), {"claims/x.md": CLAIM_HEAD + front + BODY}, essay=ESSAY)


def problems(front: str) -> list[str]:
    return [str(p) for p in site_for(front).errors]


def test_good_rows_pass():
    assert problems(GOOD) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    effect: difference -5.8 points\n", "",
     "docs/claims/x.md:15: front matter: findings row 1: missing field 'effect'"),
    ("    certainty: Low\n    reasons: [imprecision]\n", "    certainty: Fair\n    reasons: [imprecision]\n",
     "docs/claims/x.md:22: front matter: findings row 1: 'certainty' must be one of: High, Moderate, Low, Very low (found 'Fair')"),
    ("    reasons: [imprecision]\n", "    reasons: [imprecision, small sample]\n",
     "docs/claims/x.md:23: front matter: findings row 1: 'reasons' item 2 must be one of: risk of bias, inconsistency, "
     "indirectness, imprecision, publication bias, large effect, dose-response, plausible confounding (found 'small sample')"),
    ("    reasons: [imprecision]\n", "    reasons: []\n",
     "docs/claims/x.md:23: front matter: findings row 1: certainty 'Low' needs the GRADE reasons it was rated down for "
     "(risk of bias, inconsistency, indirectness, imprecision, publication bias)"),
    ("    participants: 40\n", "    participants: about forty\n",
     "docs/claims/x.md:19: front matter: findings row 1: 'participants' must be a positive whole number or 'not reported' "
     "(found 'about forty')"),
    ("    studies: 2\n", "    studies: 0\n",
     "docs/claims/x.md:18: front matter: findings row 1: 'studies' must be a positive whole number (found 0)"),
    ("    comparison: Ketamine against saline\n", "    comparison: Ketamine against saline\n    dose: 0.5 mg/kg\n",
     "docs/claims/x.md:18: front matter: findings row 1: unknown field 'dose'"),
    ("    cites: [yang2018ketamine]\n  - no_outcome", "    cites: [yang2019]\n  - no_outcome",
     "docs/claims/x.md:24:13: front matter: findings row 1 cites unknown citation key 'yang2019' (did you mean 'yang2018ketamine'?)"),
    ("    cites: [yang2018ketamine]\n  - no_outcome", "    cites: []\n  - no_outcome",
     "docs/claims/x.md:24: front matter: findings row 1: 'cites' must name at least one study the row rests on"),
    ("  - no_outcome: Animal studies only for the mechanism.\n",
     "  - no_outcome: Animal studies only for the mechanism.\n    time: 24 hours\n",
     "docs/claims/x.md:26: front matter: findings row 2: unknown field 'time'"),
])
def test_each_rule_fails_a_bad_row_at_its_line(old, new, expected):
    assert GOOD.count(old) >= 1
    assert problems(GOOD.replace(old, new, 1)) == [expected]


def test_a_row_may_cite_only_what_the_text_cites():
    first = BIB[: BIB.index("@article{later2022trial")]
    bib = BIB + first.replace("yang2018ketamine", "li2010mtor")
    site = evidence.analyse(bib.encode(), {"claims/x.md": CLAIM_HEAD + GOOD.replace("cites: [yang2018ketamine]\n  - no", "cites: [li2010mtor]\n  - no")
                                           + BODY}, essay=ESSAY)
    assert [str(p) for p in site.errors] == [
        "docs/claims/x.md:24:13: front matter: findings row 1 cites 'li2010mtor', which the page's text does not cite; "
        "cite it where the page weighs that study"]


def test_missing_wrong_and_doubled_no_outcome_rows_fail():
    assert "docs/claims/x.md:1: front matter: missing field 'findings' (see templates/claim.md)" in problems("")
    assert problems("findings: []\n") == ["docs/claims/x.md:14: front matter: 'findings' must list at least one row: one per "
                                          "outcome, or one 'no_outcome' row"]
    assert problems("findings:\n  - just text\n") == [
        "docs/claims/x.md:15: front matter: findings row 1 must be a mapping: an outcome row, or a 'no_outcome' row (found 'just text')"]
    second = GOOD + "  - no_outcome: Again.\n    certainty: Low\n    reasons: [indirectness]\n    cites: [yang2018ketamine]\n"
    assert problems(second) == ["docs/claims/x.md:29: front matter: findings row 3: a page has at most one 'no_outcome' row (the first is row 2)"]


def test_the_table_renders_every_number_and_links_its_studies():
    site = site_for(GOOD.replace("    participants: 40\n", "    participants: 1200\n"))
    text = page_markdown(site, "claims/x.md", BODY.removeprefix("---\n"), lambda html: html)
    section = text[text.index("## Summary of findings"):text.index("## What the evidence shows")]
    assert "{ #summary-of-findings }" in section
    row = next(line for line in section.splitlines() if line.startswith("| **Depression score**"))
    effect = findings._cell("difference -5.8 points") + " (" + findings._cell("95% CI -13.3 to 1.6") + ")"
    for shown in ("24 hours after one infusion", "Ketamine against saline", "2 (1,200)", effect,
                  "Low", "rated down for imprecision", 'class="cite__link" href="../../studies/yang2018ketamine/"'):
        assert shown in row, shown
    mechanism = next(line for line in section.splitlines() if "No outcome measured in people" in line)
    assert "Animal studies only for the mechanism." in mechanism and "rated down for indirectness" in mechanism
    assert "[the summary of findings, explained](../about/methodology.md#how-to-read-a-summary-of-findings)" in section


def test_hostile_text_in_a_row_is_inert_and_cannot_break_the_table():
    rows = [{"outcome": "<script>alert(1)</script>", "time": "a | b", "comparison": "c", "studies": 1, "participants": frontmatter.NOT_REPORTED,
             "effect": "e", "certainty": "Low", "reasons": ["imprecision"], "cites": ["k"]}]
    table = findings.render_findings(rows)
    assert "<script>" not in table and "&#60;script&#62;" in table
    body = [line for line in table.splitlines() if line.startswith("| **")]
    assert body[0].count("|") == len(findings.COLUMNS) + 1 and "1 (people not reported)" in body[0]
