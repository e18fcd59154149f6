"""What the build adds to a page's metadata: the search rank of an answer page, and the footer line of a printout."""

from __future__ import annotations

import datetime as dt

from citepages.bib import Library
from citepages.plugins import Page
from citepages.sharing import print_footer
from citepages.site import Site
from factcheck.layer import SEARCH_BOOST, search_rank


def rank(src: str, meta: dict) -> dict:
    values: dict = {}
    search_rank(values, Page(Site(Library("references.bib"), meta={src: meta}), src))
    return values


def test_claim_and_answer_pages_are_boosted_in_search_and_nothing_else_is():
    meta = {"title": "A claim?", "search": {"exclude": False}}
    assert rank("claims/a.md", meta) == {"search": {"exclude": False, "boost": SEARCH_BOOST}}
    assert meta == {"title": "A claim?", "search": {"exclude": False}}  # the page's own front matter is left alone
    assert rank("risks.md", {})["search"]["boost"] == SEARCH_BOOST
    for src in ["claims/index.md", "index.md", "about/methodology.md", "studies/x.md"]:
        assert rank(src, {"title": "T"}) == {}
    assert SEARCH_BOOST > 1


def test_print_footer_names_the_address_and_the_review_date():
    css = print_footer("https://example.org/site/claims/a/", dt.date(2026, 11, 26), "2026-12-01")
    assert css == '@page { @bottom-left { content: "https://example.org/site/claims/a/ · Last reviewed 26 November 2026"; } }'
    assert "Last updated 2026-12-01" in print_footer("https://example.org/s/", None, "2026-12-01")
    assert print_footer("", None, "") == ""


def test_print_footer_cannot_end_its_rule_or_its_style_element():
    css = print_footer('https://example.org/"; } body { display: none } </style><script>', None, "")
    body = css.removeprefix('@page { @bottom-left { content: "').removesuffix('"; } }')
    assert not set('"{};<>') & set(body)
    assert body.startswith("https://example.org/\\22 \\3b  \\7d  body \\7b  display") and "\\3c /style\\3e " in body
