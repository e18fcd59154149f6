"""A phone's first screen (360 × 780 px): every claim page answers there, the safety line opens every answer page,
and the home page's practical summary comes within two screens."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
CLAIM_FILES = sorted(p for p in (ROOT / "docs" / "claims").glob("*.md") if p.name != "index.md")
CLAIMS = {f"/claims/{p.stem}/": p for p in CLAIM_FILES}
ANSWER_PAGES = [*CLAIMS, "/risks/"]

# How far down the page (px from its top) an element's box ends.
BOTTOM = "el => el.getBoundingClientRect().bottom + scrollY"
TOP = "el => el.getBoundingClientRect().top + scrollY"


def phone(new_page):
    return new_page(viewport=PHONE, has_touch=True, is_mobile=True)


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def test_every_claim_page_is_checked():
    assert len(CLAIMS) >= 13, sorted(CLAIMS)


@pytest.mark.parametrize("path", CLAIMS)
def test_claim_page_shows_verdict_meaning_and_bottom_line_on_the_first_screen(new_page, path):
    page = phone(new_page)
    page.goto(path)
    meta = front_matter(CLAIMS[path])
    box = page.locator("article .verdict-box")
    parts = {
        "question": page.locator("article h1"),
        "verdict": box.locator(".verdict").first,
        "meaning": box.locator(".verdict-box__meaning"),
        "bottom line": box.locator(".verdict-box__bottom-line"),
    }
    for name, part in parts.items():
        expect(part).to_be_visible()
        assert (bottom := part.evaluate(BOTTOM)) <= PHONE["height"], f"{path}: the {name} ends {bottom:.0f}px down, below the first screen"
    expect(parts["verdict"]).to_have_text(meta["verdict"])
    expect(parts["meaning"]).to_have_text(meta["verdict_meaning"])
    # The box's sentence is the first sentence of the page's own "Bottom line".
    sentence = parts["bottom line"].inner_text().removeprefix("Bottom line:").strip()
    section = page.locator("#bottom-line + p").inner_text()
    assert len(sentence) > 20 and section.startswith(sentence), f"{path}: {sentence!r} does not open the bottom line {section[:120]!r}"
    # The claim's full wording, the source and the certainty follow the answer.
    answer_end = parts["bottom line"].evaluate(BOTTOM)
    for label in ("Claim:", "Source:", "Certainty of the evidence:"):
        follows = box.locator("p", has_text=label).first
        expect(follows).to_be_visible()
        assert follows.evaluate(TOP) >= answer_end, f"{path}: {label!r} comes before the answer"
    expect(box.locator("p", has_text="Claim:")).to_contain_text(meta["claim"])


@pytest.mark.parametrize("path", ANSWER_PAGES)
def test_safety_line_opens_the_page_on_one_line_and_the_notice_closes_it(new_page, path):
    page = phone(new_page)
    page.goto(path)
    line = page.locator("article .safety-line")
    expect(line).to_be_visible()
    expect(line).to_contain_text("Not medical advice")
    expect(line.locator('a[href="tel:988"]')).to_have_text("988")
    expect(line.locator('a[href="https://findahelpline.com/"]')).to_be_visible()
    assert line.evaluate(BOTTOM) < page.locator("article h1").evaluate(TOP), f"{path}: the safety line is not above the heading"
    height, line_height = line.evaluate("el => [el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).lineHeight)]")
    assert height < 1.5 * line_height, f"{path}: the safety line takes {height:.0f}px, more than one line of {line_height:.0f}px"
    # The full notice still closes the page, after the page's own text.
    foot = page.locator("aside.safety")
    expect(foot.locator('a[href="tel:988"]')).to_have_count(1)
    expect(foot).to_contain_text("Not medical advice")
    assert foot.evaluate(TOP) > page.locator("article h2").last.evaluate(TOP)


@pytest.mark.parametrize("path", ["/", "/claims/", "/about/methodology/", "/studies/"])
def test_pages_that_answer_no_question_have_no_safety_line_but_keep_the_notice(new_page, path):
    page = phone(new_page)
    page.goto(path)
    expect(page.locator(".safety-line")).to_have_count(0)
    expect(page.locator("aside.safety")).to_contain_text("Not medical advice")


def test_home_page_practical_summary_is_within_two_screens(new_page):
    page = phone(new_page)
    page.goto("/")
    heading = page.locator("h2", has_text="Does ketamine work")
    expect(heading).to_be_visible()
    summary = page.locator("h2:has-text('Does ketamine work') + p")
    expect(summary).to_contain_text("treatment-resistant")
    end = summary.evaluate(BOTTOM)
    assert end <= 2 * PHONE["height"], f"the practical summary ends {end:.0f}px down the home page (two screens: {2 * PHONE['height']}px)"
