"""Finding Pandoc citations: the forms people write, and the places that are never citations."""

from __future__ import annotations

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
