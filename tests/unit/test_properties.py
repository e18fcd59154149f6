"""Property-based tests: arbitrary entries and citation text never crash the reader, and rendering escapes."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from citepages.bib import Entry, Library, load_library, to_bibtex
from citepages.citations import analyse
from citepages.render import cite_citations, esc, study_page

# Field text: anything printable, with braces balanced so that it is a well-formed BibTeX value.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60).map(
    lambda s: s.replace("{", "(").replace("}", ")").replace("\\", "/").replace("@", "at")
)
keys = st.from_regex(r"[a-z]{1,8}[0-9]{4}[a-z]{0,8}", fullmatch=True)


# Arbitrary bytes, and bytes built from BibTeX's own pieces (so that the parser gets past its first character),
# each with invalid UTF-8 and NUL bytes mixed in.
_BIB_PIECES = st.sampled_from([b"@article{", b"@string{", b"@comment{", b"k2020,", b" = {", b"}", b"{", b"\n", b",", b"#",
                               b"author", b"title = ", b'"', b"\\textgreater", b"\\'e", b"$x^", b"\x00", b"\xff", b"\xc3"])
any_bytes = st.one_of(st.binary(max_size=400), st.lists(st.one_of(_BIB_PIECES, st.binary(max_size=8)), max_size=60).map(b"".join))


@settings(max_examples=300)
@given(any_bytes)
def test_any_bytes_give_problems_not_exceptions(data):
    library, problems = load_library(data)
    assert all(p.line >= 1 for p in problems)
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1  # a lone CR ends a line too
    assert all(p.line <= lines for p in problems), "every problem points at a line of the file"
    assert all(str(p).isprintable() for p in problems), "no message carries a control or invisible character"
    for entry in library.entries.values():
        assert entry.authors is not None and entry.date_parts is not None  # names and dates parse too


@settings(max_examples=300)
@given(st.text(alphabet="[]@;,- abcxyz12`\n#(){}<>!\\^*_$:/.|~=\"\tｙ\u2028", max_size=200))
def test_any_citation_text_is_analysed_and_rendered_without_error(markdown):
    doc = analyse("docs/x.md", markdown)
    end = 0
    for group in doc.groups:
        assert group.start >= end and all(c.key for c in group.cites), "groups never overlap, and every one has keys"
        end = group.end
        if group.bracketed:
            assert markdown[group.start] == "[" and markdown[group.end - 1] == "]"
        else:
            assert markdown[group.start : group.start + 2] in ("@" + group.cites[0].key[:1], "@{", "-@")
    entries = {c.key: Entry(c.key, "misc", 1, fields={"title": "T", "year": "2000"}) for g in doc.groups for c in g.cites}
    cite_citations(markdown, doc.groups, Library("references.bib", entries), lambda key: f"../studies/{key}/", lambda html_text: html_text)


@settings(max_examples=100)
@given(keys, text, text, st.dictionaries(st.sampled_from(["note", "publisher", "volume", "pages"]), text, max_size=3))
def test_parse_write_parse_keeps_every_field(key, title, journal, extra):
    fields = {"author": "Doe, Jane", "title": title or "T", "journal": journal or "J", "year": "2020", **extra}
    entry = Entry(key, "article", 1, latex=fields)
    library, problems = load_library(to_bibtex(entry).encode())
    assert [p for p in problems if "missing required" not in p.message] == []
    assert library.entries[key].latex == {k: v for k, v in fields.items()}


@settings(max_examples=150)
@given(text)
def test_escaped_text_reads_the_same_and_has_no_markup(value):
    escaped = esc(value)
    assert html.unescape(escaped) == value
    assert not re.search(r"[<>\"'`\[\]()*_{}]", escaped)


@settings(max_examples=60)
@given(text, text, text)
def test_every_study_page_escapes_what_it_shows(title, summary, n):
    entry = Entry("k2020a", "article", 1, fields={"title": title, "summary": summary, "n": n, "journal": "<b>J</b>", "year": "2020"})
    body = study_page(entry, [], "#").html
    # Every tag in the page is one the renderer writes itself.
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", body))
    assert tags <= {"h1", "h2", "dl", "dt", "dd", "p", "a", "details", "summary", "span", "div", "pre", "code"}
