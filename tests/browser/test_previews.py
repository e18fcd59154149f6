"""Citation previews anyone can read: opaque, with enough contrast in both colour schemes, on a desktop and in the
phone's sheet, and WCAG 1.4.13 (content on hover or focus): dismissable with Esc, hoverable, persistent."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_reader import CLAIM, DESKTOP, first_citation, preview_of, tab_to_first_citation

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
SCHEMES = {"light": "default", "dark": "slate"}

# The preview's own opacity times every ancestor's, and the alpha of the background behind its text.
SEE_THROUGH = """el => {
    let opacity = 1;
    for (let node = el; node; node = node.parentElement) opacity *= parseFloat(getComputedStyle(node).opacity);
    const background = getComputedStyle(el).backgroundColor;
    const alpha = background.startsWith('rgba') ? parseFloat(background.split(',')[3]) : 1;
    return {opacity, alpha, background};
}"""


def shown_preview(new_page, device: str, scheme: str):
    """A claim page in the scheme, with the first animal-study citation's preview open: by hover on a desktop,
    by tap (the sheet at the foot of the screen) on a phone."""
    if device == "phone":
        page = new_page(viewport=PHONE, has_touch=True, is_mobile=True, color_scheme=scheme)
    else:
        page = new_page(viewport=DESKTOP, color_scheme=scheme)
    page.goto(CLAIM)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    link = first_citation(page)
    link.scroll_into_view_if_needed()
    link.tap() if device == "phone" else link.hover()
    preview = preview_of(link)
    expect(preview).to_be_visible()
    return page, link, preview


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_preview_is_opaque_and_its_contrast_passes(new_page, device, scheme):
    page, _, preview = shown_preview(new_page, device, scheme)
    seen = preview.evaluate(SEE_THROUGH)
    assert seen["opacity"] == 1, f"the preview is see-through: opacity {seen['opacity']}"
    assert seen["alpha"] == 1, f"the preview's background is see-through: {seen['background']}"
    preview_id = preview.get_attribute("id")
    results = Axe().run(page, context={"include": [[f"#{preview_id}"]]}, options={"runOnly": ["color-contrast"]})
    assert results.violations_count == 0, results.generate_report()
    # The rule did look at the preview's text: it is among what passed.
    passed = [node["target"] for rule in results.response["passes"] for node in rule["nodes"]]
    assert any(preview_id in " ".join(map(str, target)) for target in passed), passed


def hover_first_citation(page):
    """The claim page with the pointer on its first animal-study citation and the preview shown; returns both."""
    page.goto(CLAIM)
    link = first_citation(page)
    link.scroll_into_view_if_needed()
    link.hover()
    preview = preview_of(link)
    expect(preview).to_be_visible()
    return link, preview


def test_escape_hides_a_hovered_preview_without_moving_pointer_or_focus(page):
    link, preview = hover_first_citation(page)
    page.evaluate("window.pointerMoves = 0; document.addEventListener('pointermove', () => window.pointerMoves++)")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    assert page.evaluate("window.pointerMoves") == 0
    assert page.evaluate("document.activeElement.outerHTML.slice(0, 80)") == focused
    assert link.evaluate("el => el.matches(':hover')"), "the pointer is still on the link"
    # Leaving and coming back shows it again.
    page.mouse.move(0, 400)
    link.hover()
    expect(preview).to_be_visible()


def test_escape_hides_a_focused_preview_and_focus_stays_on_the_link(page):
    link = tab_to_first_citation(page)
    preview = preview_of(link)
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(link).to_be_focused()
    # Moving focus away and back shows it again.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    expect(preview).to_be_visible()


def test_pointer_can_move_onto_the_preview_and_it_stays(page):
    link, preview = hover_first_citation(page)
    start, box = link.bounding_box(), preview.bounding_box()
    # From the link straight down to the middle of the preview, through every pixel row in between.
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    target_y = box["y"] + box["height"] / 2
    page.mouse.move(x, target_y, steps=max(2, int(target_y - y)))
    assert preview.evaluate("el => el.matches(':hover')"), "the pointer is not on the preview"
    expect(preview).to_be_visible()


@pytest.mark.parametrize("by", ["hover", "focus"])
def test_preview_stays_until_dismissed_or_left(page, by):
    if by == "hover":
        _, preview = hover_first_citation(page)
    else:
        preview = preview_of(tab_to_first_citation(page))
        expect(preview).to_be_visible()
    page.wait_for_timeout(3000)  # no timeout closes it: a slow reader still has it
    expect(preview).to_be_visible()
