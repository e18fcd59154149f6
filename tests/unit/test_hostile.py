"""Hostile text in any field comes out inert wherever the field appears."""

from __future__ import annotations

import json
import re

from citepages.bib import load_library
from tests.unit.inert import assert_only_our_markup
from citepages.citations import analyse
from citepages.render import abbreviator, cite_citations, render_index, render_study, study_page

HOSTILE = r"""@article{evil2020x,
  author = {<img src=x onerror=alert(1)> and Doe, J{\"o}hn},
  title = {<script>alert(1)</script> [click](javascript:alert(1)) {{ config }} {% raw %}},
  journal = {"><svg onload=alert(1)>},
  year = {2020},
  n = {<b onmouseover=alert(1)>5</b>},
  summary = {**bold** <iframe src="javascript:alert(1)"></iframe>},
  studytype = {rct}
}
"""

OUR_TAGS = {"a", "span", "small", "p", "dl", "dt", "dd", "details", "summary", "ol", "li", "div", "label", "input", "table",
            "thead", "tbody", "tr", "th", "td", "br", "h1", "h2", "ul", "pre", "code", "abbr"}


def assert_inert(markdown: str) -> None:
    """No tag but ours, no event handler, no script address, no Markdown link or Jinja outside code blocks."""
    body = markdown.split("---\n", 2)[2] if markdown.startswith("---\n") else markdown
    body = re.sub(r"^(`{3,}) bibtex\n.*?^\1$", "", body, flags=re.DOTALL | re.MULTILINE)  # code: shown as typed
    assert_only_our_markup(body, OUR_TAGS)


def test_hostile_fields_are_inert_everywhere():
    library, problems = load_library(HOSTILE.encode())
    assert problems == []
    entry = library.entries["evil2020x"]
    assert_inert(render_study(entry, [], "#"))
    assert_inert(study_page(entry, [], "#", abbreviate=abbreviator([("alert", 'An "alert" <b>')])).html)  # the BibTeX too
    assert_inert(render_index(library, {}).split("---\n", 2)[2])
    body = "Text [@evil2020x].\n"
    page, _ = cite_citations(body, analyse("docs/x.md", body).groups, library, lambda k: f"../studies/{k}/", lambda html_text: html_text)
    assert_inert(page)


def test_hostile_doi_and_url_are_refused():
    bib = HOSTILE.replace("studytype = {rct}", 'doi = {10.1000/x" onmouseover="alert(1)},\n  url = { JAVASCRIPT:alert(1)}')
    _, problems = load_library(bib.encode())
    messages = [p.message for p in problems]
    assert any("field 'doi' is not a DOI" in m for m in messages)
    assert any("field 'url' is not an http(s) address" in m for m in messages)


def test_front_matter_of_generated_pages_is_safe_yaml():
    library, _ = load_library(HOSTILE.encode())
    page = render_study(library.entries["evil2020x"], [], "#")
    meta = page.split("---\n", 2)[1]
    assert "<script" not in meta and "&lt;script&gt;" in meta
    json.dumps(meta)
