"""The summary of findings as a reader sees it: a table with its column headings on a wide screen and on paper, and
on a phone one block per outcome that names each value, with nothing scrolling sideways; and the link to report an
error at the foot of the page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from citepages import pages
from factcheck import findings
from tests.build.test_open_data import CLAIMS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
CLAIM = "/claims/yale-2012-immediate-relief/"  # five outcome rows
MECHANISM = "/claims/habenula-burst-mode/"  # one row: no outcome in people
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def displays(page) -> dict[str, str]:
    return page.evaluate("""() => {
        const shown = sel => getComputedStyle(document.querySelector(sel)).display;
        return {table: shown('.sof table'), row: shown('.sof tbody tr'), head: shown('.sof thead th'),
                headBox: document.querySelector('.sof thead').getBoundingClientRect().height};
    }""")


def sideways(page) -> dict[str, float]:
    """How far the page, and the summary's own box, would scroll sideways."""
    return page.evaluate("""() => {
        const doc = document.scrollingElement, sof = document.querySelector('.sof');
        const wrap = sof.querySelector('.md-typeset__scrollwrap') || sof;
        return {page: doc.scrollWidth - doc.clientWidth, table: wrap.scrollWidth - wrap.clientWidth,
                right: Math.max(...[...sof.querySelectorAll('td')].map(td => td.getBoundingClientRect().right))};
    }""")


def test_desktop_shows_a_table_with_its_headings(new_page, site):
    page = new_page(viewport=DESKTOP)
    page.goto(CLAIM)
    sof = page.locator(".sof table")
    expect(sof).to_be_visible()
    assert displays(page)["table"] == "table" and displays(page)["row"] == "table-row"
    assert [h.strip() for h in sof.locator("thead th").all_inner_texts()] == list(findings.COLUMNS)
    rows = sof.locator("tbody tr")
    meta = site.meta["claims/yale-2012-immediate-relief.md"]["findings"]
    assert rows.count() == len(meta)
    first = rows.nth(0).locator("td")
    assert f"{meta[0]['studies']} ({meta[0]['participants']})" == first.nth(2).inner_text().strip()
    assert "odds ratio 3.94" in first.nth(3).inner_text() and "1.54 to 10.10" in first.nth(3).inner_text()
    assert "Very low" in first.nth(4).inner_text() and "risk of bias" in first.nth(4).inner_text()
    expect(first.nth(5).locator("a.cite__link")).to_have_attribute("href", "../../studies/dean2021ketamine/")
    assert sideways(page)["page"] <= 0


@pytest.mark.parametrize("path", [pages.page_url(src) for src in CLAIMS])
def test_phone_shows_one_block_per_outcome_and_nothing_scrolls_sideways(new_page, path):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto("/" + path)
    shown = displays(page)
    assert (shown["table"], shown["row"]) == ("block", "block") and shown["headBox"] <= 1, shown
    over = sideways(page)
    assert over["page"] <= 0 and over["table"] <= 0 and over["right"] <= PHONE["width"], over
    labels = page.locator(".sof tbody tr").first.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content.replaceAll('\"', ''))")
    assert labels == list(findings.COLUMNS)


def test_a_claim_with_no_outcome_in_people_says_so_in_one_row(new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(MECHANISM)
    rows = page.locator(".sof tbody tr")
    assert rows.count() == 1
    expect(rows.first).to_contain_text("No outcome measured in people")
    expect(rows.first).to_contain_text("Animal studies only")


def test_print_keeps_the_table_with_every_number(new_page):
    page = new_page(viewport=PHONE)
    page.goto(CLAIM)
    page.emulate_media(media="print")
    assert displays(page)["table"] == "table"
    text = page.locator(".sof table").inner_text()
    for number in ("7 (185)", "3.94", "1.54 to 10.10", "4 (296)", "2.48", "9 (234)", "-1.00", "1 (40)", "-5.82", "1 (99)"):
        assert number in text, number


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_the_summary_and_what_changed_meet_wcag(new_page, viewport):
    page = new_page(viewport=viewport)
    page.goto(CLAIM)
    results = Axe().run(page, context={"include": [[".sof"], ["#what-changed + ol"], [".report-error"]]},
                        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.response["violations"] == [], results.generate_report()


def test_the_report_link_emails_the_page_address(new_page):
    page = new_page(viewport=PHONE)
    page.goto(CLAIM)
    email = page.locator(".report-error a[href^='mailto:']")
    expect(email).to_be_visible()
    assert "yale-2012-immediate-relief" in email.get_attribute("href")
