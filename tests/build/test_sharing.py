"""Shared links and reuse: preview tags on every page, JSON-LD on claims and studies, exports that parse."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml

from citepages.bib import load_library
from tests.conftest import ROOT


def jsonld(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]


def test_every_page_has_preview_tags_and_an_image_that_exists(real_site):
    for page in real_site.rglob("*.html"):
        if page.name == "404.html":
            continue
        html = page.read_text()
        for tag in ('property="og:title"', 'property="og:description"', 'property="og:image"', 'name="twitter:card"',
                    'rel="canonical"', 'name="description"'):
            assert tag in html, (page, tag)
        image = re.search(r'property="og:image" content="https://ketamine-evidence\.github\.io/site/([^"]+)"', html)
        assert image and (real_site / image[1]).is_file(), page


def test_claim_pages_carry_claim_review_and_medical_web_page(real_site):
    html = (real_site / "claims" / "nature-light-switch" / "index.html").read_text()
    review, page = jsonld(html)
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "Misleading"
    assert review["itemReviewed"]["@type"] == "Claim" and review["itemReviewed"]["appearance"]["datePublished"] == "2021-02-09"
    assert review["claimReviewed"] and review["datePublished"]
    assert page["@type"] == "MedicalWebPage" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", page["lastReviewed"])
    refs = re.findall(r'<meta name="citation_reference" content="([^"]+)">', html)
    assert any("citation_doi=10.1038/nature25509" in r for r in refs)
    assert 'content="Misleading' in html or "Misleading" in re.search(r'name="description" content="([^"]+)"', html)[1]


def test_every_claim_page_names_the_essay_in_its_verdict_box_and_claim_review(real_site):  # noqa: F811
    essay = yaml.safe_load((ROOT / "essay.yml").read_text())
    pages = sorted((real_site / "claims").glob("*/index.html"))
    assert len(pages) >= 13
    for page in pages:
        html = page.read_text()
        source = re.search(r'<span class="verdict-box__source"><strong>Source:</strong> (.*?)</span>', html)
        assert source, page
        assert f'{essay["author"]}, “<a href="{essay["url"]}"' in source[1] and f"<em>{essay['outlet']}</em>, 9 February 2021" in source[1]
        item = jsonld(html)[0]["itemReviewed"]
        assert item["author"] == {"@type": "Person", "name": essay["author"]}, page
        appearance = item["appearance"]
        assert (appearance["@type"], appearance["url"], appearance["headline"], appearance["datePublished"], appearance["publisher"]["name"]) == \
            ("CreativeWork", essay["url"], essay["title"], essay["date"].isoformat(), essay["outlet"]), page


def test_study_pages_are_about_the_study_never_the_study(real_site):  # noqa: F811
    html = (real_site / "studies" / "yang2018ketamine" / "index.html").read_text()
    (block,) = jsonld(html)
    assert block["@type"] == "WebPage" and block["about"]["@type"] == "ScholarlyArticle"
    assert block["about"]["sameAs"] == "https://doi.org/10.1038/nature25509"
    assert "citation_title" not in html and "citation_author" not in html.replace("citation_reference", "")


def test_exports_exist_and_parse(real_site):
    library, problems = load_library((real_site / "references.bib").read_bytes())
    assert problems == [] and len(library.entries) >= 35
    items = json.loads((real_site / "references.json").read_text())
    assert {i["id"] for i in items} == set(library.entries)
    bib = (real_site / "downloads" / "nature-light-switch.bib").read_bytes()
    one, problems = load_library(bib)
    assert problems == [] and "yang2018ketamine" in one.entries
    ris = (real_site / "downloads" / "nature-light-switch.ris").read_text()
    assert ris.count("TY  - ") == len(one.entries) == ris.count("ER  - ")
    html = (real_site / "claims" / "nature-light-switch" / "index.html").read_text()
    assert 'href="../../downloads/nature-light-switch.bib"' in html


def test_contributor_files_are_in_place():
    for path in ("CONTRIBUTING.md", "CITATION.cff", ".github/PULL_REQUEST_TEMPLATE.md", "templates/claim.md",
                 ".github/ISSUE_TEMPLATE/correction.md", ".github/ISSUE_TEMPLATE/new-claim.md"):
        assert (ROOT / path).is_file(), path
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["title"]
    assert not (ROOT / "docs" / "templates").exists(), "templates are not published"


def test_workflows_parse_and_call_make_targets_that_exist():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    workflows = list((ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2
    for path in workflows:
        flow = yaml.safe_load(path.read_text())
        steps = [s for job in flow["jobs"].values() for s in job.get("steps", [])]
        for step in steps:
            if "uses" in step:
                assert re.search(r"@v\d+(\.\d+)*$|@[0-9a-f]{40}$", step["uses"]), step["uses"]
            for target in re.findall(r"\bmake (\w+)", step.get("run", "")):
                assert target in targets, (path.name, target)
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    text = Path(ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "actions/deploy-pages" in text and "fetch-depth: 0" in text
    assert deploy[True]["push"]["branches"] == ["main"]


def test_pages_show_last_updated_and_last_reviewed(real_site):
    claim = (real_site / "claims" / "legal-status" / "index.html").read_text()
    dates = re.search(r'<p class="page-dates">(.*?)</p>', claim, re.DOTALL)[1]
    assert re.search(r"Last updated \d{4}-\d{2}-\d{2}", dates) and re.search(r"Last reviewed by an editor \d{4}-\d{2}-\d{2}", dates)
    changelog = (real_site / "about" / "changelog" / "index.html").read_text()
    claims = [p for p in (ROOT / "docs" / "claims").glob("*.md") if p.name != "index.md"]
    assert changelog.count("Current verdict:") == len(claims) >= 13  # one per claim, however many there are


def test_study_index_links_the_whole_bibliography_and_each_claims_references(real_site):
    """A researcher is one click from every export: the whole bibliography as BibTeX and CSL-JSON, and each claim's list."""
    index = real_site / "studies" / "index.html"
    hrefs = set(re.findall(r'<a href="([^"]+)"', index.read_text(encoding="utf-8")))
    claims = [p.stem for p in (ROOT / "docs" / "claims").glob("*.md") if p.name != "index.md"]
    wanted = {"../references.bib", "../references.json"} | {f"../downloads/{c}.{ext}" for c in claims for ext in ("bib", "ris")}
    assert wanted <= hrefs, sorted(wanted - hrefs)
    for href in wanted:
        assert (index.parent / href).resolve().is_file(), href
    assert (real_site / "references.bib").read_bytes() == (ROOT / "references.bib").read_bytes()
    assert len(json.loads((real_site / "references.json").read_text(encoding="utf-8"))) == len(load_library((ROOT / "references.bib").read_bytes())[0].entries)


def test_search_indexes_each_claims_quote_in_the_boosted_field(real_site):
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["fields"]["essay"]["boost"] > index["config"]["fields"]["text"]["boost"]
    entries = {e["location"]: e for e in index["docs"]}
    for path in (ROOT / "docs" / "claims").glob("*.md"):
        if path.name == "index.md":
            continue
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        essay = entries[f"claims/{path.stem}/"].get("essay", "")
        assert meta["quote"] in html.unescape(essay) and meta["claim"] in html.unescape(essay), path.stem
    assert not [e["location"] for e in index["docs"] if "essay" in e and not e["location"].startswith("claims/")]
