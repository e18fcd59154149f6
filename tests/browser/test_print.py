"""Paper: the longest claim page and a study page printed by Chromium (its PDF output), read back with pypdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
STUDY = "/studies/yang2018ketamine/"
# What the theme puts around a page: none of it belongs on paper.
CHROME = ".md-header, .md-tabs, .md-sidebar, .md-footer, .md-content__button, .md-top, .md-skip"
PAGE_FILLED = 1_000  # characters on a printed page but the last


def longest_claim_page() -> str:
    """The claim page with the most Markdown: the one most likely to spill its first screen onto page 2."""
    pages = [p for p in (ROOT / "docs" / "claims").glob("*.md") if p.name != "index.md"]
    return "/claims/" + max(pages, key=lambda p: len(p.read_text(encoding="utf-8"))).stem + "/"


def squash(text: str) -> str:
    """Text without any whitespace: a PDF breaks lines (and long addresses) wherever the page needs."""
    return re.sub(r"\s+", "", text)


def navigation_on_paper(chrome: list[str], pages: list[str]) -> list[str]:
    """The theme's words that were printed, outside the addresses printed after links (the repository's name is in some)."""
    words = re.sub(r"<https?://[^>]*>", "", squash("".join(pages)))
    return [w for w in chrome if squash(w) in words]


def printed(page, path: str) -> tuple[list[str], dict]:
    """Each printed page's text, and what the screen showed: the chrome's words, the bottom line, the references."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    seen = page.evaluate(
        """chrome => {
            const section = id => {
                const parts = [];
                for (let el = document.getElementById(id)?.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling)
                    parts.push(el.innerText);
                return parts.join(' ');
            };
            const article = document.querySelector('article').innerText;
            const words = [...document.querySelectorAll(chrome)].flatMap(el => el.innerText.split('\\n'))
                .map(line => line.trim()).filter(line => line.length > 3 && !article.includes(line));
            // Each reference's DOI, or else the address of its first link (its PubMed page, or else its study page).
            const refs = [...document.querySelectorAll('ol.references > li')].map(li => {
                const doi = li.querySelector('a[href^="https://doi.org/"]');
                const link = li.querySelector('a[href]');
                return doi ? decodeURIComponent(doi.getAttribute('href').replace('https://doi.org/', '')) : link && link.href;
            });
            return {chrome: [...new Set(words)], bottom: section('bottom-line'), refs,
                    verdict: document.querySelector('.verdict-box .verdict')?.innerText,
                    title: (h1 => { h1.querySelector('.headerlink')?.remove(); return h1.textContent; })(document.querySelector('h1').cloneNode(true)), outside: [...document.querySelectorAll('article a:not(.md-content__button)')].filter(a => a.host !== location.host && /^http/.test(a.protocol)).map(a => a.href)};
        }""",
        CHROME,
    )
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [p.extract_text() for p in pdf.pages], seen


def test_longest_claim_page_prints_its_answer_on_page_one(page, site_url, record_property):
    path = longest_claim_page()
    pages, seen = printed(page, path)
    record_property("printed_pages", len(pages))
    print(f"\n{path} prints on {len(pages)} A4 pages")
    first = squash(pages[0])
    assert squash(seen["title"]) in first
    assert seen["verdict"] and squash(f"Verdict: {seen['verdict']}") in first
    assert "Certaintyoftheevidence:" in first
    assert seen["bottom"] and squash(seen["bottom"]) in first, f"the bottom line is not all on page 1 of {path}"
    whole = squash("".join(pages))
    assert seen["chrome"], "found none of the theme's navigation text to look for"
    assert navigation_on_paper(seen["chrome"], pages) == [], "navigation text on paper"
    assert seen["refs"] and None not in seen["refs"], f"a reference without a DOI or an address: {seen['refs']}"
    for ref in seen["refs"]:
        assert squash(ref) in whole, f"{ref} is not printed"
    # Every link that leaves the site has its address after its text.
    assert seen["outside"] and [a for a in seen["outside"] if squash(f"<{a}>") not in whole] == []
    # Each page's foot: where the page lives, when it was last reviewed, and which page of how many this is.
    for number, text in enumerate(pages, start=1):
        foot = squash(text)
        assert squash(f"Page {number} of {len(pages)}") in foot
        assert squash(f"{site_url}{path.lstrip('/')} · Last reviewed") in foot
    # Paper is not wasted, however long the page grows: every sheet but the last is well filled (a full one holds about
    # 3,500 characters; the fullest had 3,612 and the emptiest 2,090, the first, on 6 December 2026).
    sparse = [(number, len(squash(text))) for number, text in enumerate(pages[:-1], start=1) if len(squash(text)) < PAGE_FILLED]
    assert sparse == [], f"printed pages with fewer than {PAGE_FILLED} characters: {sparse}"


def test_study_page_prints_its_reference_and_where_it_is_cited(page, site_url):
    pages, seen = printed(page, STUDY)
    whole = squash("".join(pages))
    assert "doi:10.1038/nature25509" in whole and "<https://doi.org/10.1038/nature25509>" in whole
    assert "Citedon" in whole and squash("Does the lateral habenula hit a tipping point") in whole
    assert navigation_on_paper(seen["chrome"], pages) == [], "navigation text on paper"
    assert all(squash(f"{site_url}{STUDY.lstrip('/')} · Last updated") in squash(text) for text in pages)
