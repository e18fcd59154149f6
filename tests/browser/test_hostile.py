"""Hostile bibliography text, rendered and opened in Chromium: no dialog ever opens, no element is made from it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serving
from tests.conftest import make_site, mkdocs_build

BIB = r"""@article{evil2020x,
  author = {<img src=x onerror=alert(1)> and Doe, J{\"o}hn},
  title = {<script>alert(2)</script> [click](javascript:alert(3)) <svg onload=alert(4)> {{ config }}},
  journal = {"><img src=y onerror=alert(5)>},
  year = {2020},
  n = {<b onmouseover=alert(6)>5</b>},
  summary = {<iframe src="javascript:alert(7)"></iframe> **bold**},
  milestone = {<img src=z onerror=alert(8)>},
  studytype = {rct}
}

@article{latex2021zebrafish,
  author = {Roe, Richard and {\textless}img src=a onerror=alert(11){\textgreater}},
  title = {Zebrafish </title><script>alert(12)</script> \textless{}img src=b onerror=alert(13)\textgreater{} $<$svg onload=alert(14)$>$},
  journal = {\textless{}img src=c onerror=alert(15)\textgreater{} Journal},
  year = {2021},
  month = {mar},
  summary = {Zebrafish swam \textless{}img src=d onerror=alert(16)\textgreater{} and $<$img src=e onerror=alert(17)$>$.},
  studytype = {animal}
}
"""
PAGE = "# Hostile\n\n## Evidence\n\nText [@evil2020x].\n\n<!-- citepages:timeline -->\n"
# No title in the front matter: the page's title comes from its heading, which holds a citation.
TITLED_BY_HEADING = "# Zebrafish [@latex2021zebrafish] and @evil2020x\n\nFish [@latex2021zebrafish].\n"

# What any markup from the .bib would leave in the document had it become live.
INJECTED = """() => Array.from(document.querySelectorAll("*")).filter(el =>
    Array.from(el.attributes).some(a => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value))
    || ["IFRAME", "SVG"].includes(el.tagName.toUpperCase()) && /alert/.test(el.outerHTML)
    || el.tagName === "IMG" && /^[a-e]$|^[xyz]$/.test(el.getAttribute("src") || "")
    || el.tagName === "SCRIPT" && el.type !== "application/ld+json" && /alert\\(/.test(el.textContent)
).map(el => el.outerHTML.slice(0, 200))"""


@pytest.fixture(scope="module")
def hostile_origin(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("hostile"), BIB, {"index.md": PAGE, "fish.md": TITLED_BY_HEADING})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    with serving(site / "site") as origin:
        yield origin


@pytest.fixture
def hostile_page(browser, hostile_origin):
    """A page on the hostile site, and the message of every dialog it opens (each dismissed)."""
    context = browser.new_context(base_url=hostile_origin, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def test_no_dialog_opens_on_any_page_showing_hostile_text(hostile_page):
    page = hostile_page
    for path in ("/", "/studies/", "/studies/evil2020x/", "/studies/latex2021zebrafish/"):
        page.goto(path)
        page.wait_for_load_state("load")
        page.mouse.move(5, 5)
        for link in page.locator("article .cite__link").all():
            preview = link.locator("xpath=following-sibling::*[contains(@class, 'cite-preview')]")
            link.hover()
            expect(preview).to_be_visible()  # the hostile text is on screen: any script in it would have run
            link.focus()
            expect(preview).to_be_visible()
        assert page.evaluate(INJECTED) == [], path
    page.goto("/studies/evil2020x/")
    assert "<script>alert(2)</script>" in page.inner_text("article"), "hostile text is shown as text"
    assert page.dialogs == []


def test_search_results_show_hostile_text_as_text(hostile_page):
    page = hostile_page
    page.goto("/")
    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result")
    box.click()
    for word in ("zebrafish", "onerror"):  # "onerror" is a word of every hostile field of both studies
        box.fill(word[:-1])  # then one keystroke, on which the theme searches: a dialog opening between keystrokes would swallow some
        box.press(word[-1])
        expect(results.locator(".md-search-result__meta")).to_contain_text(re.compile(r"^\s*\d+ matching"))
        assert page.dialogs == [], word
        assert page.evaluate(INJECTED) == [], word
        expect(results).to_contain_text("Zebrafish swam")  # the study's own entry is shown
    box.fill("zebrafis")
    box.press("h")
    expect(results).to_contain_text("<svg onload=alert(14)>")  # the LaTeX decoded to < and >, and shown as such
    expect(results).to_contain_text("<img src=d onerror=alert(16)>")


def test_a_page_titled_by_its_heading_takes_the_headings_own_words(hostile_page):
    page = hostile_page
    page.goto("/fish/")
    page.wait_for_load_state("load")
    assert page.title() == "Zebrafish and - Ketamine Evidence"  # no citation, no preview, nothing from the .bib
    assert page.evaluate(INJECTED) == []
    assert page.dialogs == []
