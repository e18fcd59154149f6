"""The citation engine on a site that is not this one: a bare MkDocs site and a bare Zensical site whose only
configuration of it is the extension with its bibliography (no hook, no essay.yml, no claim pages)."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest

from tests.conftest import BIN, problem_lines, run

CONFIG = """site_name: Bare notes
markdown_extensions:
  - citepages.markdown:
      bibliography: refs.bib
"""
BIB = """@article{doe2020sleep,
  author = {Doe, Jane and Roe, Richard},
  title = {Sleep and memory},
  journal = {Journal of Sleep},
  year = {2020},
  doi = {10.1000/sleep.1},
}

@book{poe2019dreams,
  author = {Poe, Edgar},
  title = {On dreams},
  publisher = {House},
  year = {2019},
}
"""
PAGES = {
    "index.md": "# Notes\n\nSleep helps memory [@doe2020sleep, p. 3].\n",
    "topics/dreams.md": "# Dreams\n\n@poe2019dreams wrote on dreams; see also [-@doe2020sleep].\n",
}
CITE_LINK = re.compile(r'<a class="cite__link" href="([^"]+)" aria-describedby="(cite-\d+)">([^<]*)</a>')


def bare_site(folder: Path, pages: dict[str, str] = PAGES) -> Path:
    folder.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    for src, text in pages.items():
        (folder / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / src).write_text(text, encoding="utf-8")
    return folder


def check_page(html: str, expected: list[tuple[str, str]]) -> None:
    """Each citation links to its study's page with the preview it names, and the page ends with its References."""
    links = CITE_LINK.findall(html)
    assert [(href, html_module.unescape(text)) for href, _, text in links] == expected
    for _, preview, _ in links:
        assert re.search(rf'<small class="cite-preview" role="tooltip" id="{preview}"[^>]*><span class="cite-preview__authors">', html)
    keys = list(dict.fromkeys(href.rstrip("/").rsplit("/", 1)[1] for href, _ in expected))
    references = re.search(r'<ol class="references"[^>]*>(.*?)</ol>', html, re.DOTALL)  # Zensical drops data-search-exclude
    assert references and re.findall(r'<li id="ref-([^"]+)">', references[1]) == keys


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory) -> Path:
    source = bare_site(tmp_path_factory.mktemp("bare-mkdocs") / "project")
    result = run([str(BIN / "mkdocs"), "build", "--strict"], source)
    assert result.returncode == 0 and problem_lines(result.stderr) == [], result.stderr
    return source / "site"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    """As the README says: `citepages build --site` writes the sources with the study pages, then Zensical builds them."""
    source = bare_site(tmp_path_factory.mktemp("bare-zensical") / "project")
    staged = run([str(BIN / "citepages"), "build", "--site", "--out", "staged"], source)
    assert staged.returncode == 0, staged.stderr
    built = run([str(BIN / "zensical"), "build", "--clean"], source / "staged")
    assert built.returncode == 0 and "No issues found" in built.stdout + built.stderr, built.stdout + built.stderr
    return source / "staged" / "site"


def test_bare_mkdocs_site_gets_linked_citations_previews_and_references(mkdocs_site):
    check_page((mkdocs_site / "index.html").read_text(), [("studies/doe2020sleep/", "Doe & Roe 2020")])
    check_page((mkdocs_site / "topics" / "dreams" / "index.html").read_text(),
               [("../../studies/poe2019dreams/", "Poe (2019)"), ("../../studies/doe2020sleep/", "2020")])


def test_bare_zensical_site_gets_them_with_study_pages_behind_the_links(zensical_site):
    for page, expected in [("index.html", [("studies/doe2020sleep/", "Doe & Roe 2020")]),
                           ("topics/dreams/index.html", [("../../studies/poe2019dreams/", "Poe (2019)"), ("../../studies/doe2020sleep/", "2020")])]:
        html = (zensical_site / page).read_text()
        check_page(html, expected)
        for href, _ in expected:
            study = (zensical_site / page).parent / href / "index.html"
            assert study.is_file(), href
            assert "Cited on" in study.read_text()
    assert (zensical_site / "references.json").is_file() and (zensical_site / "references.bib").read_text() == BIB


def test_a_problem_on_a_bare_site_stops_the_build_with_its_place(tmp_path):
    source = bare_site(tmp_path / "project", {**PAGES, "index.md": "# Notes\n\nSleep helps [@doe2021sleep].\n"})
    result = run([str(BIN / "mkdocs"), "build", "--strict"], source)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert problem_lines(result.stderr) == ["docs/index.md:3:14: unknown citation key 'doe2021sleep' (did you mean 'doe2020sleep'?)"]
    assert not (source / "site" / "index.html").exists()
