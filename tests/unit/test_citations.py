"""Finding Pandoc citations: the forms people write, and the places that are never citations."""

from __future__ import annotations

import json

from citepages.__main__ import main
from citepages.citations import analyse, split_front_matter


def keys(markdown: str) -> list[list[str]]:
    return [[c.key for c in g.cites] for g in analyse("docs/x.md", markdown).groups]


def test_pandoc_forms():
    doc = analyse("docs/x.md", "A [@a]. B [@a; @b]. C [@key, p. 33]. D [see @key, pp. 3-4]. E [-@e].\n")
    cites = [(c.key, c.prefix, c.suffix) for g in doc.groups for c in g.cites]
    assert cites == [("a", "", ""), ("a", "", ""), ("b", "", ""), ("key", "", ", p. 33"), ("key", "see", ", pp. 3-4"), ("e", "", "")]


def test_code_emails_links_and_comments_are_not_citations():
    markdown = """Inline `[@code]` and ``[@double]``.
Mail [write to me@example.org] or me@example.org.
A link [see \\@home](https://example.org/@home) and a reference link [\\@ref][1].
<!-- [@comment] -->

[1]: https://example.org

```bibtex
[@fenced]
```

~~~
[@tilde]
~~~

Paragraph.

    [@indented]

Real [@real].
"""
    assert keys(markdown) == [["real"]]


def test_indented_text_in_lists_and_admonitions_is_still_prose():
    markdown = "- item\n\n    continued [@inlist]\n\n!!! note\n\n    inside [@inadmonition]\n"
    assert keys(markdown) == [["inlist"], ["inadmonition"]]


def test_positions_are_lines_and_columns_of_the_file():
    yaml_text, body, offset = split_front_matter("---\ntitle: T\n---\n\n# T\n\nText [see @yang2019].\n")
    assert yaml_text == "title: T\n" and offset == 3
    (group,) = analyse("docs/x.md", body, offset).groups
    assert (group.cites[0].line, group.cites[0].col) == (7, 11)


def test_each_citation_knows_its_section_anchor():
    markdown = "# Page\n\nIntro [@a].\n\n## What the *evidence* shows\n\nText [@b].\n\n## What the evidence shows\n\n[@c]\n\n## Custom {#my-id}\n\n[@d]\n"
    anchors = [(g.cites[0].key, g.anchor) for g in analyse("docs/x.md", markdown).groups]
    assert anchors == [("a", ""), ("b", "what-the-evidence-shows"), ("c", "what-the-evidence-shows_1"), ("d", "my-id")]


def test_cites_prints_the_reading_as_json(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: T\n---\n\nSee [*see* @a, p. 3; @b] and -@c and @d [p.\n4].\n[a link @e](https://example.org)\n")
    assert main(["cites", str(page)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == [{"file": str(page), "groups": [
        {"line": 5, "col": 5, "end_line": 5, "end_col": 24, "text": "[*see* @a, p. 3; @b]", "citations": [
            {"key": "a", "mode": "NormalCitation", "prefix": "*see*", "suffix": ", p. 3", "line": 5, "col": 12},
            {"key": "b", "mode": "NormalCitation", "prefix": "", "suffix": "", "line": 5, "col": 22}]},
        {"line": 5, "col": 30, "end_line": 5, "end_col": 32, "text": "-@c", "citations": [
            {"key": "c", "mode": "SuppressAuthor", "prefix": "", "suffix": "", "line": 5, "col": 31}]},
        {"line": 5, "col": 38, "end_line": 6, "end_col": 2, "text": "@d [p.\n4]", "citations": [
            {"key": "d", "mode": "AuthorInText", "prefix": "", "suffix": "p. 4", "line": 5, "col": 38}]},
    ]}]
    assert err == f"{page}:7:9: warning: '@e' is in a link's text, where it cannot be a citation, so it stays as written (take it out, or write \\@ for an at sign)\n"


def test_cites_names_a_file_it_cannot_read(tmp_path, capsys):
    assert main(["cites", str(tmp_path / "missing.md")]) == 2
    assert capsys.readouterr().err == f"citepages: cannot read {tmp_path / 'missing.md'}: No such file or directory\n"


def test_styles_scripts_and_preformatted_html_hold_no_citations_nor_headings():
    markdown = ("<style>\n@media (max-width: 40em) {\n#main { color: red }\n}\n</style>\n\n<script>\nconst cite = '[@x]';\n</script>\n\n"
                "<pre>\n@y and [@z]\n</pre>\n\nReal [@real].\n")
    doc = analyse("docs/x.md", markdown)
    assert [[c.key for c in g.cites] for g in doc.groups] == [["real"]] and doc.headings == []
