"""The risks page on a phone: its own bottom line gives the crisis line before a reader has to scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
RISKS = "/risks/"


def test_crisis_line_is_in_the_risks_pages_first_screen_on_a_phone(new_page):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(RISKS)
    # The page's own bottom line, not the site-wide notice: the links in the article's first paragraph after the heading.
    lead = page.locator("article h2#bottom-line + p")
    for link in (lead.locator('a[href="tel:988"]'), lead.locator('a[href^="https://findahelpline.com"]')):
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        top_of_page = page.evaluate("() => window.scrollY")
        assert top_of_page == 0 and box["y"] + box["height"] <= PHONE["height"], (
            f"{link} ends {box['y'] + box['height']:.0f}px down the page; the first screen is {PHONE['height']}px")
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{link} runs off screen: {box}"
