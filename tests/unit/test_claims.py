"""The list of every claim: a table for wide screens and a card per claim for phones, from the same front matter."""

from __future__ import annotations

import markdown

from citepages.citations import analyse
from factcheck import claims
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
