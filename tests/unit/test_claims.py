"""The list of every claim: a table for wide screens and a card per claim for phones, from the same front matter."""

from __future__ import annotations

import datetime as dt

import markdown

from citepages.citations import analyse
from factcheck import claims, frontmatter
from factcheck.essay import Essay
from tests.unit.test_figures import dom, squash

CLAIMS = {
    "claims/second.md": {"claim_number": 2, "title": "Second <claim>?", "verdict": "Misleading", "certainty": "Very low"},
    "claims/first.md": {"claim_number": 1, "title": "First claim?", "verdict": "Mostly accurate", "certainty": "Moderate"},
}
BODIES = {
    "claims/first.md": "# First claim?\n\n## The claim\n\nIt says so.\n\n## Bottom line\n\n"
                       "Mice got better [@mouse2018], as [a review](../x.md) of **two** trials says [see @rev2020, p. 3].\n"
                       "A second sentence that no card shows.\n\n## What the evidence shows\n\nMore.\n",
    "claims/second.md": "# Second claim?\n\n## Bottom line\n\n## What the evidence shows\n\nNothing above.\n",
}
DOCS = {src: analyse(src, body) for src, body in BODIES.items()}


def test_bottom_line_is_the_first_sentence_as_plain_text():
    assert claims.bottom_line(DOCS["claims/first.md"]) == "Mice got better, as a review of two trials says."
    assert claims.bottom_line(DOCS["claims/second.md"]) == ""  # an empty section
    assert claims.bottom_line(analyse("x.md", "# No such section\n\nText.\n")) == ""


def test_cards_and_table_list_every_claim_in_the_essays_order():
    out = claims.claims_table(CLAIMS, "index.md", DOCS)
    html = markdown.markdown(out, extensions=["tables", "md_in_html"])
    root = dom(html)
    table = root.find("div", class_="claims-table").find("table")
    assert [squash(a.text()) for a in table.find_all("a")] == ["First claim?", "Second <claim>?"]
    cards = root.find("ol", class_="claim-cards").find_all("li", class_="claim-card")
    assert [squash(c.find("a").text()) for c in cards] == ["1. First claim?", "2. Second <claim>?"]
    assert [c.find("a").attrs["href"] for c in cards] == ["claims/first/", "claims/second/"]
    first, second = cards
    assert squash(first.find("span", class_="verdict").text()) == "Mostly accurate"
    assert squash(first.find("span", class_="certainty").text()) == "⊕⊕⊕◯ Moderate"
    assert squash(first.find("span", class_="claim-card__line").text()) == "Mice got better, as a review of two trials says."
    assert not second.find_all("span", class_="claim-card__line")
    assert "<claim>" not in out  # escaped, as everything from the front matter is


def test_card_links_are_relative_to_the_page_that_lists_them():
    cards = dom(claims.claims_table(CLAIMS, "claims/index.md", DOCS)).find("ol", class_="claim-cards").find_all("a")
    assert [a.attrs["href"] for a in cards] == ["first/", "second/"]


def test_verdict_box_answers_first_then_gives_the_claim_source_and_certainty():
    meta = {"claim": "The <claim>.", "verdict": "Unsupported", "verdict_meaning": "Staff watch for *safety*, not therapy.",
            "verdict_as_of": dt.date(2026, 11, 26), "certainty": "Low", "last_reviewed": dt.date(2026, 12, 2),
            "next_review": dt.date(2027, 11, 26)}
    essay = Essay(author="A. Writer", title="An essay", outlet="A magazine", date=dt.date(2021, 2, 9), url="https://example.org/e")
    box = markdown.markdown(claims.verdict_box(meta, essay, "Staff must watch each dose."), extensions=["md_in_html"])
    text = squash(dom(box).text())
    order = [squash(part) for part in ("Verdict: Unsupported", "Staff watch for *safety*, not therapy.", "Bottom line: Staff must watch each dose.",
                                       "Claim: The <claim>.", "Source:", "Certainty of the evidence:",
                                       "Verdict as of 26 November 2026", "last reviewed 2 December 2026", "next review due 26 November 2027")]
    assert all(part in text for part in order), text
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order), text
    assert "<em>safety</em>" not in box  # the meaning is text, never Markdown
    # Without a bottom line the box has no empty line for it.
    assert "Bottom line" not in claims.verdict_box(meta, essay)


def test_a_verdict_meaning_longer_than_a_line_is_refused_at_its_line():
    def problems(meaning: str) -> list[str]:
        yaml_text = f"title: T\nverdict_meaning: {meaning}\n"
        meta, _, where = frontmatter.read(yaml_text, "docs/claims/x.md")
        return [str(p) for p in frontmatter.check_page(meta, where, "docs/claims/x.md", True) if "verdict_meaning" in str(p)]

    long = "x" * (frontmatter.MEANING_MAX + 1)
    assert problems(long) == [f"docs/claims/x.md:3: front matter: 'verdict_meaning': is {len(long)} characters; at most 160"]
    assert problems("Short.") == []


def test_essay_words_are_the_quote_the_claim_and_the_phrases_quoted_under_the_claim():
    body = ('# Q?\n\n## The claim\n\nThe essay says it is "not to be confused" with what is “snorted through the nose” (essay).\n'
            'It repeats "not to be confused".\n\n## Bottom line\n\nA "quoted" word here is not the essay\'s.\n')
    doc = analyse("claims/x.md", body)
    words = claims.essay_words({"quote": "not to be confused", "claim": "Medical ketamine differs."}, doc)
    assert words == "not to be confused Medical ketamine differs. snorted through the nose"
    assert claims.essay_words({"quote": "a phrase", "claim": "A claim."}, analyse("claims/y.md", "# Q?\n")) == "a phrase A claim."
