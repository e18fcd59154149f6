"""A phone at 360 × 780 px: the claims as cards, shorter than the table they replace, and figures that reflow instead of scrolling."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
# The cards are there because the table took too much of a phone's screen: they must take less, however many claims
# there are (1,418 px for 13 claims against the table's 2,270 px on 6 December 2026).
CARDS_SHARE_OF_TABLE = 0.75
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DURATION_PAGE = "/claims/how-long-effects-last/"
DIAGRAM_PAGE = "/claims/habenula-burst-mode/"


def phone(new_page, scheme: str = "light"):
    return new_page(viewport=PHONE, has_touch=True, is_mobile=True, color_scheme=scheme)


def shown(locator) -> list[str]:
    """The text of each element of the locator that takes up room on screen (display: none takes none)."""
    return locator.evaluate_all("els => els.filter(el => el.getClientRects().length).map(el => el.innerText.trim())")


def table_titles(page) -> list[str]:
    # The table is in the page on a phone too, only not displayed: its links are the claims in the essay's order.
    return page.locator(".claims-table table tbody tr td:nth-child(2) a").evaluate_all("as => as.map(a => a.textContent.trim())")


@pytest.mark.parametrize("path", ["/", "/claims/"])
def test_phone_lists_the_claims_as_cards(new_page, path):
    page = phone(new_page)
    page.goto(path)
    titles = table_titles(page)
    assert len(titles) >= 13, titles
    expect(page.locator(".claims-table")).to_be_hidden()
    cards = page.locator("ol.claim-cards > li.claim-card")
    assert [t.split(" ", 1)[1] for t in shown(cards.locator(".claim-card__title"))] == titles
    for index in range(cards.count()):
        card = cards.nth(index)
        expect(card.locator(".verdict")).to_be_visible()
        expect(card.locator(".certainty")).to_be_visible()
        line = card.locator(".claim-card__line")
        expect(line).to_be_visible()
        assert line.inner_text().strip().endswith((".", "?", "!")), f"not a whole sentence: {line.inner_text()!r}"
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"card {index + 1} runs off screen: {box}"
    # Only one of the two is in the accessibility tree: a screen reader reads each claim once.
    assert page.locator(".claims-table, ol.claim-cards").get_by_role("link", name=titles[0], exact=False).count() == 1


def test_phone_cards_take_less_room_than_the_table_they_replace(new_page):
    page = phone(new_page)
    page.goto("/")
    heights = page.evaluate("""() => {
        const height = selector => document.querySelector(selector).getBoundingClientRect().height;
        const cards = height("ol.claim-cards");
        document.querySelector("ol.claim-cards").style.setProperty("display", "none", "important");
        document.querySelector(".claims-table").style.setProperty("display", "block", "important");
        return {cards, table: height(".claims-table")};
    }""")
    assert heights["cards"] <= CARDS_SHARE_OF_TABLE * heights["table"], f"at 360 x 780: {heights}"


def test_desktop_keeps_the_table(new_page):
    page = new_page(viewport=DESKTOP)
    page.goto("/")
    expect(page.locator(".claims-table table")).to_be_visible()
    expect(page.locator("ol.claim-cards")).to_be_hidden()
    assert len(shown(page.locator(".claims-table tbody tr"))) == len(table_titles(page))


SCROLLERS = """() => [...document.querySelectorAll('article *')]
    .filter(el => /auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${el.scrollWidth} > ${el.clientWidth})`)"""


def test_phone_evidence_map_is_a_block_per_claim_with_its_kinds_and_links(new_page):
    page = phone(new_page)
    page.goto("/claims/")
    figure = page.locator("#evidence-map")
    expect(figure.locator("caption")).to_contain_text("Evidence map")
    expect(figure.locator("thead")).to_be_hidden()
    rows = figure.locator("tr.evidence-map__row")
    assert rows.count() == len(table_titles(page))
    for index in range(rows.count()):
        row = rows.nth(index)
        claim = row.locator("th a")
        expect(claim).to_be_visible()
        kinds = shown(row.locator("td summary"))
        assert kinds and all(": " in kind for kind in kinds), f"row {index + 1}: {kinds}"
        expect(row.locator("td.evidence-map__cell--none").first).to_be_hidden()
    # Every study link is there, one tap away.
    links = figure.locator("ul.evidence-map__studies a")
    figure.locator("details").evaluate_all("els => els.forEach(el => el.open = true)")
    assert links.count() > 0 and len(shown(links)) == links.count()
    assert figure.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_phone_figures_keep_their_text_alternatives(new_page):
    page = phone(new_page)
    page.goto("/")
    timeline = page.locator("#timeline")
    caption_id = timeline.locator("ol.timeline__list").get_attribute("aria-labelledby")
    expect(page.locator(f"#{caption_id}")).to_contain_text("Timeline")
    events = timeline.locator("ol.timeline__list > li")
    assert events.count() > 0 and len(shown(events.locator("a"))) == events.count()
    assert timeline.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.goto(DIAGRAM_PAGE)
    svg = page.locator(".habenula-diagram svg[role=img]")
    expect(svg).to_be_visible()
    assert svg.get_attribute("aria-labelledby") or svg.get_attribute("aria-label")
    expect(page.locator(".habenula-diagram__description")).to_be_visible()
    page.goto(DURATION_PAGE)
    expect(page.locator("#duration-strip figcaption")).to_be_visible()
    expect(page.locator("#duration-strip table caption")).to_be_visible()
    assert page.evaluate(SCROLLERS.replace("'article *'", "'#duration-strip *'")) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_no_wcag_21_aa_violations(new_page, scheme):
    page = phone(new_page, scheme)
    axe = Axe()
    reports = []
    for path in ["/", "/claims/", DURATION_PAGE, DIAGRAM_PAGE, "/studies/"]:
        page.goto(path)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        if results.violations_count:
            reports.append(f"{path} ({scheme}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)
