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


def test_a_page_titled_by_its_heading_takes_its_words_escaped():
    from citepages.pages import page_meta
    from citepages.site import analyse_site

    site = analyse_site(HOSTILE.encode(), {"x.md": "# Tom &amp; Jerry <i>on</i> *fish* [@evil2020x]\n", "y.md": "---\ntitle: Own\n---\n# Y\n"})
    meta = page_meta(site, "x.md", site.meta["x.md"], {"site_name": "S"}, "")
    assert meta["title"] == "Tom &amp; Jerry on fish"  # the theme writes page.meta.title into <title> as it is
    assert "title" not in page_meta(site, "y.md", site.meta["y.md"], {"site_name": "S"}, "")  # the front matter's own stays


def test_a_study_search_entry_is_escaped():
    from citepages.mkdocs_pages import search_entry

    library, _ = load_library(HOSTILE.replace("{<script>", r"{\textless{}b\textgreater{} <script>").encode())
    entry = search_entry("studies/evil2020x/", study_page(library.entries["evil2020x"], [], "#"))
    for text in (entry["title"], entry["text"]):
        assert "<" not in text and ">" not in text
    assert "&lt;b&gt; &lt;script&gt;" in entry["title"] and "&lt;iframe" in entry["text"]
