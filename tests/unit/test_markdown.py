"""The Python-Markdown extension: every Pandoc citation form, in every place Markdown puts text, against a golden file."""

from __future__ import annotations

import html as html_module
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
