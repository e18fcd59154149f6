"""Hostile text in any field comes out inert wherever the field appears."""

from __future__ import annotations

import json
import re

import pytest

from citepages import schema
from factcheck import frontmatter
from citepages.bib import load_library
from citepages.citations import analyse
from citepages.problems import Problem, annotation
from citepages.render import abbreviator, cite_citations, render_index, render_study, study_page
from citepages.site import analyse_site
from tests.unit.inert import assert_only_our_markup
from tests import evidence
from tests.unit.test_searchlog import BIB, CLAIM_HEAD, ESSAY

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


# Hostile or broken front matter, pages and essay.yml: each problem one located line, never an exception.

# The claim's summary of findings on one line (line 13), so that a test can swap it for a value of the wrong type.
FINDINGS = "findings: [{no_outcome: Animal studies only., certainty: Low, reasons: [indirectness], cites: [yang2018ketamine]}]\n"
CLAIM = CLAIM_HEAD.replace("verdict_history: []\n", FINDINGS + "verdict_history: []\n") + "---\n\n# Does it?\n\nIn rats [@yang2018ketamine].\n"
GOOD_BIB = BIB.encode()


def page_problems(page: str | bytes, src: str = "claims/x.md", essay: bytes = ESSAY) -> list[str]:
    site = evidence.analyse(GOOD_BIB, {src: page}, essay=essay)
    lines = [str(p) for p in site.errors]
    assert all(line.isprintable() for line in lines), lines
    return lines


def test_the_claim_page_used_here_is_good():
    assert page_problems(CLAIM) == []


def wrong_values(declared) -> list:
    """Values of the wrong type for a field's spec: a number where text goes, text where a number, list or date goes."""
    rule = schema.spec(declared)
    if isinstance(rule, (schema.Text, schema.OneOf)):
        return [5, ["a", "b"]]
    if isinstance(rule, schema.ListOf):
        return [5, "abc", {"a": 1}]
    return ["abc", [1, 2]]


@pytest.mark.parametrize("name", list(frontmatter.CLAIM_SCHEMA))
def test_each_field_of_the_wrong_type_is_one_error_at_its_line(name):
    head, rest = CLAIM.split("verdict_history: []\n")
    for value in wrong_values(frontmatter.CLAIM_SCHEMA[name]):
        lines = head.splitlines(keepends=True) + ["verdict_history: []\n"]
        lines = [line for line in lines if not line.startswith(f"{name}:")]
        lines.append(f"{name}: {json.dumps(value)}\n")
        found = page_problems("".join(lines) + rest)
        assert len(found) == 1 and found[0].startswith(f"docs/claims/x.md:{len(lines)}: front matter: '{name}' must be "), (value, found)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("last_reviewed: 2026-12-01", "last_reviewed: 2026-13-01", "docs/claims/x.md:10:16: front matter: '2026-13-01' is not a date that exists"),
    ("last_reviewed: 2026-12-01", "last_reviewed: 2026-02-30", "docs/claims/x.md:10:16: front matter: '2026-02-30' is not a date that exists"),
    ("verdict_as_of: 2026-12-01", "verdict_as_of: 2026-12-01 25:00:00", "docs/claims/x.md:8:16: front matter: '2026-12-01 25:00:00' is not a date that exists"),
    ("claim_number: 1", "claim_number: " + "9" * 5000, "docs/claims/x.md:6:15: front matter: a number 5000 digits long; no field takes one that long"),
    ("claim_number: 1", "claim_number: 1000", "docs/claims/x.md:6: front matter: 'claim_number' must be a whole number from 1 to 999 (found 1000)"),
    ("claim_number: 1", "claim_number: true", "docs/claims/x.md:6: front matter: 'claim_number' must be a whole number from 1 to 999 (found True)"),
    ("verdict_history: []", "verdict_history: 5", "docs/claims/x.md:14: front matter: 'verdict_history' must be a list (found 5)"),
    ("verdict_history: []", "verdict_history: a long story", "docs/claims/x.md:14: front matter: 'verdict_history' must be a list (found 'a long story')"),
    ("verdict_history: []", "verdict_history: [soon]", "docs/claims/x.md:14: front matter: verdict_history item 1 must be a mapping of: date, from, to, why"),
    ("verdict_history: []", "verdict_history: []\nsearches: 5", "docs/claims/x.md:15: front matter: 'searches' must be a list (found 5)"),
    ("verdict_history: []", "verdict_history: []\nsearches: some searches", "docs/claims/x.md:15: front matter: 'searches' must be a list (found 'some searches')"),
    ("title: Does it?", "title: Does it?\ntitle: Does it not?", "docs/claims/x.md:3:1: front matter: duplicate field 'title' (also on line 2)"),
    ("title: Does it?", "title: Does it?\nsearch: 5", "docs/claims/x.md:3: front matter: 'search' must be a mapping of: boost, exclude"),
    ("title: Does it?", "title: Does it?\nhide: toc", "docs/claims/x.md:3: front matter: 'hide' must be a list (found 'toc')"),
    ("verdict: Accurate", "verdict: " + "x" * 5000,  # a long value is cut short in the message
     "docs/claims/x.md:7: front matter: 'verdict' must be one of: " + ", ".join(frontmatter.VERDICTS) + " (found '" + "x" * 80 + "…')"),
])
def test_impossible_values_and_wrong_types_are_one_located_error_each(old, new, expected):
    assert old in CLAIM
    assert page_problems(CLAIM.replace(old, new)) == [expected]


def alias_bomb(levels: int = 30) -> str:
    """Nested YAML aliases: a few hundred bytes that a YAML reader expands into 9**levels items."""
    return "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "'lol'"] * 9) + "]\n" for i in range(levels))


def test_an_alias_bomb_in_front_matter_or_essay_is_refused_at_once():
    assert page_problems(CLAIM.replace("verdict_history: []\n", "verdict_history: []\n" + alias_bomb())) == [
        "docs/claims/x.md:15:5: front matter: YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"]
    assert page_problems("---\ntitle: &t Home\ndescription: *t\n---\n# Home\n", "index.md") == [
        "docs/index.md:2:8: front matter: YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"]
    essay = ESSAY.decode() + "reprints: &r []\n" + alias_bomb()
    site = evidence.analyse(GOOD_BIB, {"index.md": "# Home\n"}, essay=essay.encode())
    assert [str(p) for p in site.errors] == [
        f"essay.yml:{ESSAY.decode().count(chr(10)) + 1}:11: YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"]


def test_a_nul_byte_is_reported_on_its_own_line_wherever_it_is():
    assert page_problems(CLAIM.replace("claim: It does.", "claim: It\x00 does.")) == [
        "docs/claims/x.md:4:10: control character '\\x00' (U+0000); delete it"]
    assert page_problems(CLAIM.replace("In rats", "In\x00 rats")) == ["docs/claims/x.md:19:3: control character '\\x00' (U+0000); delete it"]


def test_bytes_that_are_not_utf8_and_unclosed_front_matter_are_located():
    assert page_problems(CLAIM.encode().replace(b"In rats", b"In r\xe4ts")) == [
        "docs/claims/x.md:19:5: bytes that are not UTF-8 (0xe4); save the file as UTF-8"]
    assert page_problems(CLAIM.replace("---\n\n# Does it?", "\n# Does it?")) == [
        "docs/claims/x.md:1: front matter: the '---' on this line opens front matter that no '---' line closes; "
        "close it (or start the page with its heading)"]


@pytest.mark.parametrize(("written", "shown", "controls"), [
    # Each escape character is a located problem of its own, and stands as U+FFFD in the key.
    ("yang\x1b[2J\x1b[31m2018", "yang\ufffd[2J\ufffd[31m2018", ["19:16", "19:20"]),
    ("yang\u200b2018\u202eabc", "yang\\u200b2018\\u202eabc", []),
    ("yang\u2066x\u2069", "yang\\u2066x\\u2069", []),
])
def test_a_key_with_escape_sequences_or_invisible_characters_is_shown_escaped(written, shown, controls):
    found = page_problems(CLAIM.replace("[@yang2018ketamine]", f"[@{{{written}}}] [@yang2018ketamine]"))
    assert any(line.startswith(f"docs/claims/x.md:19:10: unknown citation key '{shown}'") for line in found), found
    assert [line.split(":", 1)[1].rsplit(":", 1)[0] for line in found if "control character '\\x1b'" in line] == controls


def test_messages_and_annotations_never_carry_a_raw_control_or_invisible_character():
    problem = Problem("docs/x\u202e.md", 3, 1, "key 'a\x1b]0;title\x07\u200bb'")
    assert str(problem) == "docs/x\\u202e.md:3:1: key 'a\\x1b]0;title\\x07\\u200bb'"
    assert annotation(problem).isprintable()


@pytest.mark.parametrize("key", ["index", "README", "index.html", "Index.HTML"])
def test_a_key_whose_page_would_take_the_studies_index_is_refused_at_its_line(key):
    bib = GOOD_BIB.decode() + f"@misc{{{key}, author = {{{{A}}}}, title = {{T}}, year = {{2020}}, background = {{true}}}}\n"
    line = bib[: bib.index(f"@misc{{{key},")].count("\n") + 1
    site = evidence.analyse(bib.encode(), {"index.md": "# Home\n"}, essay=ESSAY)
    assert [str(p) for p in site.errors if key in str(p)] == [
        f"references.bib:{line}: entry '{key}': the key would put its page where the studies index is (studies/index.html); "
        "choose another key (authorYEARword, such as yang2018ketamine)"]


def test_keys_near_the_index_name_are_not_refused():
    bib = GOOD_BIB.decode() + "".join(f"@misc{{{key}, author = {{{{A}}}}, title = {{T}}, year = {{2020}}, background = {{true}}}}\n"
                                      for key in ("index2020x", "indexes", "index.v2"))
    assert not [p for p in evidence.analyse(bib.encode(), {"index.md": "# Home\n"}, essay=ESSAY).errors if "studies index" in str(p)]
