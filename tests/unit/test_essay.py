"""The essay (essay.yml): validation, its citation on pages and in JSON-LD, and which studies came out after it."""

from __future__ import annotations

import datetime as dt

import pytest

from citepages.bib import load_library
from citepages.render import preview_html, reference_html, render_index, study_page
from factcheck import claimreview, claims, essay
from tests.conftest import ROOT
from tests.evidence import analyse

REAL = (ROOT / "essay.yml").read_text()
GOOD = """author: A. Writer
title: Ketamine & me
outlet: Example Magazine
date: 2021-02-09
url: https://example.org/essay
reprints:
  - url: https://example.com/copy
    date: 2021-02-22
    ours: the first wording
    theirs: the second wording
"""


def loaded(text: str):
    return essay.load_essay(text.encode(), "essay.yml")


def test_the_real_essay_file_is_valid_and_names_the_essay():
    found, problems = loaded(REAL)
    assert problems == []
    assert (found.author, found.outlet, found.date) == ("Kaia Roman", "mindbodygreen", dt.date(2021, 2, 9))
    assert found.title == "I Tried Ketamine Therapy For Anxiety & This Was My Experience"
    assert found.url == "https://www.mindbodygreen.com/articles/my-experience-using-ketamine-for-anxiety"
    assert [r.theirs for r in found.reprints] == ["the medical aspect of ketamine treatments"]


BOMB = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(12))


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("author: A. Writer\n", "", "essay.yml:1: missing field 'author'"),
    ("date: 2021-02-09\n", "date: 9 Feb\n", "essay.yml:4: 'date' must be a date (YYYY-MM-DD) (found '9 Feb')"),
    ("date: 2021-02-09\n", "date: 2021-02-30\n", "essay.yml:4:7: '2021-02-30' is not a date that exists"),
    ("date: 2021-02-09\n", "date: 2021-13-01\n", "essay.yml:4:7: '2021-13-01' is not a date that exists"),
    ("url: https://example.org/essay\n", "url: javascript:alert(1)\n",
     "essay.yml:5: 'url' must be an https address (found 'javascript:alert(1)')"),
    ("url: https://example.org/essay\n", "url: https://example.org/\u202eyassE\n",
     "essay.yml:5: 'url' must be an https address (found 'https://example.org/\\u202eyassE')"),
    ("outlet: Example Magazine\n", "outlet: Example Magazine\npages: 3\n", "essay.yml:4: unknown field 'pages'"),
    ("outlet: Example Magazine\n", "outlet: Example Magazine\noutlet: Another\n", "essay.yml:4:1: duplicate field 'outlet' (also on line 3)"),
    ("    theirs: the second wording\n", "", "essay.yml:7: reprint 1: missing field 'theirs'"),
    ("    date: 2021-02-22\n", "    date: later\n", "essay.yml:8: reprint 1: 'date' must be a date (YYYY-MM-DD) (found 'later')"),
    ("title: Ketamine & me\n", "title: [unclosed\n", "essay.yml:3:7: not valid YAML: expected ',' or ']', but got ':'"),
    # Wrong types are one error each, not one per character or item.
    ("reprints:\n" + GOOD.split("reprints:\n")[1], "reprints: 7\n", "essay.yml:6: 'reprints' must be a list (found 7)"),
    ("reprints:\n" + GOOD.split("reprints:\n")[1], "reprints: a copy\n", "essay.yml:6: 'reprints' must be a list (found 'a copy')"),
    ("reprints:\n" + GOOD.split("reprints:\n")[1], "reprints: [a copy]\n",
     "essay.yml:6: reprint 1 must be a mapping of: url, date, ours, theirs"),
    ("title: Ketamine & me\n", "title: " + "9" * 5000 + "\n", "essay.yml:2:8: a number 5000 digits long; no field takes one that long"),
    # YAML that expands without bound is refused before it is built.
    ("reprints:\n" + GOOD.split("reprints:\n")[1], BOMB,
     "essay.yml:6:5: YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"),
    ("reprints:\n" + GOOD.split("reprints:\n")[1], "reprints: " + "[" * 100_000 + "]" * 100_000 + "\n",
     "essay.yml:6:" + str(len("reprints: ") + 20) + ": nested more than 20 levels deep"),
    ("title: Ketamine & me\n", "title: Ketamine\x00 & me\n", "essay.yml:2:16: control character '\\x00' (U+0000); delete it"),
])
def test_each_rule_fails_a_bad_essay_file_at_its_line(old, new, expected):
    assert old in GOOD
    found, problems = loaded(GOOD.replace(old, new))
    assert found is None and [str(p) for p in problems] == [expected]


def test_claim_pages_without_an_essay_file_fail():
    site = analyse(b"", {"claims/x.md": "# X\n"})
    assert "essay.yml:1: no such file: the claim pages need the essay they check (author, title, outlet, date, url)" in map(str, site.problems)
    assert analyse(b"", {"index.md": "# Home\n"}).problems == []


def test_citation_and_wording_are_escaped_and_linked():
    found, _ = loaded(GOOD.replace("Ketamine & me", "<script>x</script> *me*"))
    html = essay.citation_html(found)
    assert html == ('A. Writer, “<a href="https://example.org/essay" rel="noopener">&#60;script&#62;x&#60;/script&#62; &#42;me&#42;</a>”, '
                    "<em>Example Magazine</em>, 9 February 2021")
    wording = essay.wording_html(found)
    assert 'href="https://example.com/copy"' in wording and "(22 February 2021)" in wording
    assert "“the first wording”, the copy has “the second wording”" in wording


def test_verdict_box_and_claim_review_name_the_essay():
    found, _ = loaded(REAL)
    meta = {"claim": "C", "verdict": "Accurate", "verdict_as_of": dt.date(2026, 12, 1), "certainty": "Low",
            "last_reviewed": dt.date(2026, 12, 1), "next_review": dt.date(2027, 12, 1), "title": "T?", "description": "D"}
    box = claims.verdict_box(meta, found)
    assert "**Source:** Kaia Roman, “<a href=\"https://www.mindbodygreen.com/articles/my-experience-using-ketamine-for-anxiety\"" in box
    assert "<em>mindbodygreen</em>, 9 February 2021" in box
    review, _ = claimreview.claim_jsonld(meta, "https://site/claims/x/", "Site", "https://site/", found)
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Kaia Roman"}
    assert item["appearance"] == {
        "@type": "CreativeWork", "url": "https://www.mindbodygreen.com/articles/my-experience-using-ketamine-for-anxiety",
        "headline": "I Tried Ketamine Therapy For Anxiety & This Was My Experience", "datePublished": "2021-02-09",
        "author": {"@type": "Person", "name": "Kaia Roman"}, "publisher": {"@type": "Organization", "name": "mindbodygreen"}}


def entry(fields: str):
    library, problems = load_library(f"@article{{x2021a,\n  author = {{X, A}}, title = {{T}}, journal = {{J}},\n{fields}\n}}\n")
    return library.entries["x2021a"], [str(p) for p in problems]


ESSAY_DAY = dt.date(2021, 2, 9)


@pytest.mark.parametrize(("fields", "after"), [
    ("year = {2020}", False), ("year = {2022}", True), ("year = {2021}", None),
    ("year = {2021}, month = jan", False), ("year = {2021}, month = mar", True), ("year = {2021}, month = {March}", True),
    ("year = {2021}, month = {12}", True), ("year = {2021}, month = feb", None),
    ("date = {2021-02-10}", True), ("date = {2021-02-09}", False), ("date = {2021-02}", None), ("date = {2021-03}", True),
])
def test_after_the_essay_is_decided_by_year_month_and_day(fields, after):
    found, problems = entry(fields)
    assert problems == []
    assert essay.after(found, ESSAY_DAY) is after


def test_a_month_that_is_not_a_month_is_a_located_problem():
    _, problems = entry("year = {2021}, month = {Smarch}")
    assert problems == ["references.bib:3: entry 'x2021a': field 'month' is not a month (1-12, jan-dec or its name): 'Smarch'"]


def test_studies_after_the_essay_are_marked_everywhere_they_are_shown():
    bib = ("@article{old2020a, author = {Old, A}, title = {Before}, journal = {J}, year = {2020}}\n"
           "@article{new2022a, author = {New, B}, title = {After}, journal = {J}, year = {2022}}\n")
    site = analyse(bib.encode(), {}, essay=REAL.encode())
    old, new = site.library.entries["old2020a"], site.library.entries["new2022a"]
    mark = "Published after the essay (9 February 2021)"
    assert new.notice and old.notice is None
    for shown_new, shown_old in [(preview_html(new, "p"), preview_html(old, "p")),
                                 (reference_html(new, "s/"), reference_html(old, "s/")),
                                 (study_page(new, [], "b").html, study_page(old, [], "b").html)]:
        assert mark in shown_new and mark not in shown_old
    index = render_index(site.library, {})
    row_new = index[index.index("new2022a/"):index.index("</tr>", index.index("new2022a/"))]
    row_old = index[index.index("old2020a/"):index.index("</tr>", index.index("old2020a/"))]
    assert mark in row_new and mark not in row_old
