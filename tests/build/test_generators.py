"""The same site from every generator the project supports: MkDocs (the main one), ProperDocs (its drop-in
continuation, through the same hook) and Zensical (Material's successor, which runs only the Markdown extension)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from citepages.citations import split_front_matter
from tests.conftest import BIN, ROOT, problem_lines, run

GENERATOR_TAG = re.compile(r'<meta name="generator" content="[^"]*">')
CITE_LINK = re.compile(r'<a class="cite__link" href="([^"]+)"')
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)"')


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("properdocs") / "site"
    result = run([str(BIN / "properdocs"), "build", "--strict", "--site-dir", str(out)], ROOT)
    assert result.returncode == 0 and problem_lines(result.stderr) == [], result.stderr
    return out


def pages_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def test_properdocs_builds_the_mkdocs_site_to_the_byte_but_for_the_generator_tag(real_site, properdocs_site):
    files = {p.relative_to(real_site) for p in real_site.rglob("*") if p.is_file()}
    assert files == {p.relative_to(properdocs_site) for p in properdocs_site.rglob("*") if p.is_file()}
    for path in files:
        ours, theirs = (real_site / path).read_bytes(), (properdocs_site / path).read_bytes()
        if path.suffix == ".html":
            ours, theirs = (GENERATOR_TAG.sub("", t.decode()) for t in (ours, theirs))
        assert ours == theirs, path


def test_zensical_builds_the_same_pages(real_site, zensical_site):
    mkdocs_pages = pages_of(real_site) - {"search/index.html"}
    assert mkdocs_pages - pages_of(zensical_site) == set()
    for export in ("references.json", "references.bib", "downloads/neurogenesis.bib", "downloads/neurogenesis.ris",
                   "claims.json", "claims.csv", "claims.schema.json", "feed.xml"):
        assert (zensical_site / export).read_bytes() == (real_site / export).read_bytes(), export


def test_zensical_pages_cite_the_same_studies_with_the_same_links(real_site, zensical_site):
    pages = sorted(p for p in pages_of(real_site) if p.startswith(("claims/", "about/", "risks/")) or p == "index.html")
    assert len(pages) > 15
    for page in pages:
        ours, theirs = ((site / page).read_text() for site in (real_site, zensical_site))
        assert CITE_LINK.findall(ours) == CITE_LINK.findall(theirs), page
        for part in ('class="verdict-box"', 'id="how-we-searched"', 'id="references"', 'role="tooltip"', 'href="tel:988"',
                     'id="summary-of-findings"', 'id="what-changed"', 'class="report-error"', 'type="application/atom+xml"',
                     'rel="license noopener"'):
            assert (part in ours) == (part in theirs), (page, part)
        assert ours.count("<figure") == theirs.count("<figure"), page  # the figures drawn from the data
        assert "<!-- citepages:" not in theirs and "[@" not in theirs, page
        for shared in (JSON_LD, OG_TITLE):  # what a shared link and a fact-check reader see
            assert shared.findall(ours) == shared.findall(theirs), (page, shared.pattern)
    assert 'class="evidence-map' in (zensical_site / "claims/index.html").read_text()
    assert 'id="timeline"' in (zensical_site / "index.html").read_text()


def test_zensical_study_pages_list_the_same_citing_pages(real_site, zensical_site):
    studies = sorted(p for p in pages_of(real_site) if p.startswith("studies/") and p != "studies/index.html")
    assert len(studies) > 40
    for page in studies:
        cited_on = [(re.findall(r'href="(\.\./\.\./[^"#]*(?:#[^"]*)?)"', (site / page).read_text().split('id="cited-on"', 1)[1].split("</ul>", 1)[0]))
                    for site in (real_site, zensical_site)]
        assert cited_on[0] == cited_on[1] and cited_on[0], page
    assert (zensical_site / "studies/index.html").is_file()


def test_the_staged_sources_are_the_projects_own(tmp_path):
    out = tmp_path / "sources"
    assert run([str(BIN / "citepages"), "build", "--site", "--out", str(out)], ROOT).returncode == 0
    config = (out / "mkdocs.yml").read_text()
    assert "hooks" not in config and "site_dir: site" in config and str(ROOT / "mkdocs.yml") in config
    ours, staged = (split_front_matter((where / "docs/claims/neurogenesis.md").read_text()) for where in (ROOT, out))
    assert staged[1] == ours[1] and staged[0].startswith(ours[0]), "the page as written, its template data added to its front matter"
    assert "\nshare: {" in staged[0] and "\nupdated: " in staged[0]
    assert (out / "docs/studies/li2010mtor.md").is_file() and not (ROOT / "docs/studies").exists()
    shutil.rmtree(out)


ABBR = re.compile(r"<abbr title=\"([^\"]*)\">([^<]*)</abbr>")
SOURCE_LINK = re.compile(r'<p class="study-source">.*?</p>', re.DOTALL)


def test_zensical_study_pages_have_the_same_glossary_terms_and_source_link(real_site, zensical_site):
    studies = sorted(p for p in pages_of(real_site) if p.startswith("studies/") and p != "studies/index.html")
    terms = 0
    for page in studies:
        ours, theirs = ((site / page).read_text() for site in (real_site, zensical_site))
        marked = [[tuple(map(html.unescape, m)) for m in ABBR.findall(text)] for text in (ours, theirs)]
        assert marked[0] == marked[1], page
        terms += len(marked[0])
        assert SOURCE_LINK.findall(ours) == SOURCE_LINK.findall(theirs), page
        assert 'href="https://github.com/ketamine-evidence/site/blob/main/references.bib#L' in SOURCE_LINK.findall(theirs)[0]
    assert terms > 50, "the study pages mark the glossary's terms"


def test_zensical_pages_have_zensicals_own_search(real_site, zensical_site):
    ours, theirs = ((site / "index.html").read_text() for site in (real_site, zensical_site))
    assert 'role="dialog" aria-label="Search"' in ours and 'class="md-search__form"' in ours
    assert 'role="dialog" aria-label="Search"' in theirs and 'class="md-search__button"' in theirs
    assert 'class="md-search__form"' not in theirs, "Material's search markup under Zensical's search"
