"""The Python-Markdown extension: every Pandoc citation form, in every place Markdown puts text, against a golden file."""

from __future__ import annotations

import html as html_module
import sys
import re
from pathlib import Path

import markdown
import pytest

from citepages.citations import split_front_matter
from citepages.site import analyse_site
from tests.unit.test_render import compare

GOLDENS = Path(__file__).parent / "goldens"
EXTENSIONS = ["abbr", "admonition", "attr_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc", "citepages.markdown"]


def convert(bib: str, pages: dict[str, str], src: str) -> tuple[str, markdown.Markdown, object]:
    site = analyse_site(bib.encode(), pages)
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"citepages.markdown": {"analysis": site, "page": src}})
    return md.convert(split_front_matter(pages[src])[1]), md, site


def test_every_pandoc_form_everywhere(update_goldens):
    case = GOLDENS / "pandoc"
    html, md, site = convert((case / "input.bib").read_text(), {"topics/example.md": (case / "page.md").read_text()}, "topics/example.md")
    assert [p for p in site.problems if not p.warning] == []
    compare(case / "page.expected.html", html, update_goldens)


def test_the_golden_shows_each_form_as_pandoc_defines_it():
    html = (GOLDENS / "pandoc" / "page.expected.html").read_text()
    text = re.sub(r"<small class=\"cite-preview\".*?</small>", "", html)
    text = html_module.unescape(re.sub(r"<[^>]+>", "", text))
    for shown in ["One (Yang et al. 2018).", "Two (Yang et al. 2018; Li & Duman 2010).", "A locator (Yang et al. 2018, p. 318).",
                  "(see Yang et al. 2018, pp. 3-4; also Li & Duman 2010 ch. 1)", "Yang and colleagues (2018).",
                  "Narrative: Yang et al. (2018) showed it, and Li & Duman (2010, p. 318) agreed.", "A key in braces: Doe (2020).",
                  "in code, mail@example.org", "and an escaped @yang2018ketamine.", "In a table", "Inside an admonition (Yang et al. 2018).",
                  "In a list (Li & Duman 2010).", "In an md_in_html block (Yang et al. 2018).", "In a footnote (Li & Duman 2010)."]:
        assert shown in text, shown
    assert "<code>[@yang2018ketamine]</code>" in html and "<code>[@yang2018ketamine] in a fenced block\n</code>" in html
    assert "[@" not in re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)


def test_a_citation_in_a_heading_leaves_its_id_and_toc_label_clean():
    html, md, _ = convert((GOLDENS / "pandoc" / "input.bib").read_text(), {"x.md": "## Findings in animals [@yang2018ketamine]\n\nText.\n"}, "x.md")
    assert re.search(r'<h2 id="findings-in-animals">Findings in animals <span class="citation">', html)
    assert md.toc_tokens[0]["name"] == "Findings in animals"


def test_cited_on_anchors_are_the_ids_the_toc_gives():
    page = "# P\n\n## The NMDA_receptor story\n\n[@li2010mtor]\n\n## Findings in *animals* [@yang2018ketamine]\n\n## Findings in animals\n\n[@yang2018ketamine]\n"
    html, _, site = convert((GOLDENS / "pandoc" / "input.bib").read_text(), {"x.md": page}, "x.md")
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    anchors = [link.anchor for links in site.backlinks().values() for link in links]
    assert ids == ["the-nmda_receptor-story", "findings-in-animals", "findings-in-animals_1"]
    assert set(anchors) == {"the-nmda_receptor-story", "findings-in-animals", "findings-in-animals_1"}


@pytest.mark.parametrize(("page", "where"), [("Text.\n\n@yang2019 showed it.\n", "3:1"), ("A [see @yang2019, p. 2].\n", "1:8")])
def test_an_unknown_key_is_a_located_problem_in_every_form(page, where):
    site = analyse_site((GOLDENS / "pandoc" / "input.bib").read_bytes(), {"x.md": page})
    assert [str(p) for p in site.errors] == [f"docs/x.md:{where}: unknown citation key 'yang2019' (did you mean 'yang2018ketamine'?)"]


def test_an_unknown_key_next_to_a_key_that_starts_with_a_digit_is_a_located_problem():
    bib = (GOLDENS / "pandoc" / "input.bib").read_text() + "@misc{1657huyghens,\n  title = {Horologium},\n  year = {1657},\n  publisher = {Muguet}\n}\n"
    site = analyse_site(bib.encode(), {"x.md": "Clocks [@huyghens1657].\n"})
    assert [str(p) for p in site.errors] == ["docs/x.md:1:9: unknown citation key 'huyghens1657'"]


BIB = (GOLDENS / "pandoc" / "input.bib").read_text()


def test_a_citation_in_an_html_attribute_stays_as_written():
    page = 'A <a title="[@yang2018ketamine]" href="#x">link</a>, <abbr title="see @li2010mtor">LD</abbr>.\n\n## Findings { data-note="[@yang2018ketamine]" }\n'
    html, _, site = convert(BIB, {"x.md": page}, "x.md")
    assert 'title="[@yang2018ketamine]"' in html and 'title="see @li2010mtor"' in html and 'data-note="[@yang2018ketamine]"' in html
    assert "citation" not in html and [str(p) for p in site.problems if "x.md" in p.path] == []


def test_a_citation_in_link_text_stays_as_written_with_a_located_warning():
    page = "A [study by @yang2018ketamine](https://example.org/) and [@li2010mtor][ref].\n\n[ref]: https://example.org/ref\n"
    html, _, site = convert(BIB, {"x.md": page}, "x.md")
    assert '<a href="https://example.org/">study by @yang2018ketamine</a>' in html
    assert '<a href="https://example.org/ref">@li2010mtor</a>' in html and "citation" not in html
    advice = "where it cannot be a citation, so it stays as written (take it out, or write \\@ for an at sign)"
    assert [str(p) for p in site.problems if "x.md" in p.path] == [
        f"docs/x.md:1:13: warning: '@yang2018ketamine' is in a link's text, {advice}",
        f"docs/x.md:1:59: warning: '@li2010mtor' is in a link's text, {advice}",
    ]


@pytest.mark.parametrize("footnotes", [True, False])
def test_a_note_holding_only_a_citation_renders_as_the_note_or_the_link_python_markdown_reads(footnotes, monkeypatch):
    page = "Text.[^1]\n\n[^1]: @yang2018ketamine\n"
    if not footnotes:
        monkeypatch.setattr(sys.modules[__name__], "EXTENSIONS", [e for e in EXTENSIONS if e != "footnotes"])
    html, _, _ = convert(BIB, {"x.md": page}, "x.md")
    assert not re.search(r'="[^"]*<', html), "no markup inside an attribute"
    if footnotes:
        note = re.search(r'<li id="fn:1">\s*<p>(.*?)</p>', html, re.DOTALL)[1]
        assert note.startswith('<span class="citation citation--narrative"><span class="cite"><a class="cite__link" href="../studies/yang2018ketamine/"')
    else:
        assert '<a href="@yang2018ketamine">^1</a>' in html  # Python-Markdown without footnotes: a link definition


@pytest.mark.parametrize(("page", "error"), [
    ("Full width [@ｙａｎｇ２０１８].\n", "docs/x.md:1:13: unknown citation key 'ｙａｎｇ２０１８' (did you mean 'yang2018ketamine'?)"),
    ("```\u2028\n[@nosuch2020] behind a line that only looks like a fence\n", "docs/x.md:2:2: unknown citation key 'nosuch2020'"),
    ("A key ends at a line separator: [@nosuch2020\u2028].\n", "docs/x.md:1:34: unknown citation key 'nosuch2020'"),
    ("A braced key holds one: [@{nosuch\u20282020}].\n", "docs/x.md:1:26: unknown citation key 'nosuch\\u20282020'"),
])
def test_keys_are_pandocs_in_any_script_and_never_hidden_by_a_line_separator(page, error):
    site = analyse_site(BIB.encode(), {"x.md": page})
    assert [str(p) for p in site.errors] == [error]


def test_prefixes_and_suffixes_are_markdown():
    page = ("A [see `code` @yang2018ketamine, [p. 3](https://example.org/p3) and *passim*; **also** @li2010mtor, $x^2$].\n"
            "B @yang2018ketamine [p. [4](https://example.org/p4) and _later_] agreed.\n")
    html, _, site = convert(BIB, {"x.md": page}, "x.md")
    assert site.errors == []
    first, second = re.findall(r'<span class="citation.*?</span></span>(?:\)</span>)?', re.sub(r"<small .*?</small>", "", html))
    assert first.startswith('<span class="citation">(<span class="cite">see <code>code</code> <a class="cite__link"')
    assert ', <a href="https://example.org/p3">p. 3</a> and <em>passim</em></span>' in first
    assert '<span class="cite"><strong>also</strong> <a class="cite__link"' in first and ', <span class="math">x^2</span></span>)' in first
    # A narrative citation's locator is inside its link, where a link of its own would be a link inside a link.
    assert ">Yang et al. &#40;2018, p. 4 and <em>later</em>&#41;</a>" in second and "example.org/p4" not in second
