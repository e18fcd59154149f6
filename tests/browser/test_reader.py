"""What a reader sees and does, in Debian's Chromium: links, search, citations, palettes, phone and desktop, a11y."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CLAIM = "/claims/habenula-burst-mode/"
STUDY = "/studies/yang2018ketamine/"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
PAGES = ["/", CLAIM, STUDY, "/studies/", "/about/methodology/"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def heading_in_view(page, heading_id: str) -> bool:
    """The heading is on screen, below the fixed header, near the top of the viewport."""
    return page.evaluate(
        """id => {
            const box = document.getElementById(id).getBoundingClientRect();
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return box.top >= header - 1 && box.top < window.innerHeight / 2;
        }""",
        heading_id,
    )


def test_shared_deep_link_opens_at_the_section(page):
    page.goto(CLAIM + "#what-we-dont-know")
    expect(page.locator("h1")).to_contain_text("lateral habenula")
    page.wait_for_function("window.scrollY > 200")
    assert heading_in_view(page, "what-we-dont-know")


def search(page, query: str) -> list[str]:
    """Type the query into Material's search and return the paths of the pages in the results."""
    box = page.locator("input.md-search__input")
    box.click()
    expect(box).to_be_focused()
    box.press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__item > a.md-search-result__link")
    # Results come in as the reader types; the search.highlight query in the links tells when they are the whole word's
    # (the last word's: "how" is a stop word and leaves the query, "long" stays). A page whose match is in one of its
    # sections only has an empty query in its own link, so any link will do.
    page.wait_for_function("""last => Array.from(document.querySelectorAll(".md-search-result__item > a.md-search-result__link"))
        .some(a => (new URL(a.href).searchParams.get("h") || "").split(" ").includes(last))""", arg=query.lower().split()[-1])
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    paths = [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]
    return list(dict.fromkeys(paths))


def test_search_for_habenula_lists_the_claims_and_the_yang_study(page):
    page.goto("/")
    found = search(page, "habenula")
    for path in ["/claims/habenula-records-stress/", "/claims/habenula-burst-mode/", STUDY]:
        assert path in found, f"{path} not among the results: {found}"
    result = page.locator(f'.md-search-result__item > a[href*="{STUDY}?"]')
    expect(result).to_contain_text("Ketamine blocks bursting in the lateral habenula")


@pytest.mark.parametrize("query, answers", [
    ("habenula", {"/claims/habenula-records-stress/", "/claims/habenula-burst-mode/"}),
    ("PTSD", {"/claims/extensively-studied/"}),
    ("how long", {"/claims/how-long-effects-last/"}),
    ("safe", {"/risks/"}),  # not the trials whose titles say "efficacy and safety"
])
def test_search_lists_the_claims_that_answer_before_the_studies(page, query, answers):
    # The build gives claim pages a search boost (factcheck.layer.search_rank); without it a study came first for
    # "habenula" (Cui et al. 2018), and the second habenula claim was sixth.
    page.goto("/")
    found = search(page, query)
    assert set(found[:len(answers)]) == answers, f"{query!r}: the claims {sorted(answers)} should come first: {found}"


@pytest.mark.parametrize("phrase, claim", [
    ("crystallized form of ketamine that is snorted", "not-the-snorted-form"),
    ("snorted through the nose", "not-the-snorted-form"),
    ("extensively studied application", "extensively-studied"),
    ("new growth of neurons and synapses", "neurogenesis"),
    ("brain firing patterns are disordered", "brain-firing-patterns"),
    ("how long these effects last", "how-long-effects-last"),
])
def test_a_phrase_pasted_from_the_essay_finds_the_claim_that_checks_it_first(page, phrase, claim):
    # Each claim's quote and wording are indexed as a field of their own with the theme's search boost (mkdocs.yml,
    # plugins: search: fields: essay; citepages.site.search_fields); before, the first phrase ranked its claim 8th.
    page.goto("/")
    found = search(page, phrase)
    assert found and found[0] == f"/claims/{claim}/", f"{phrase!r}: /claims/{claim}/ should come first: {found[:6]}"


def test_search_for_an_author_surname_finds_their_studies(page):
    page.goto("/")
    found = search(page, "Murrough")
    studies = {path for path in found if path.startswith("/studies/") and path != "/studies/"}
    assert {"/studies/murrough2013antidepressant/", "/studies/feder2014efficacy/",
            "/studies/fava2018double/"} <= studies, found


def on(path: str, fragment: str = ""):
    """A wait_for_url predicate: this page, at this fragment."""
    return lambda url: urlsplit(url).path == path and urlsplit(url).fragment == fragment


def at_top(page) -> bool:
    return page.evaluate("window.scrollY") == 0


def first_citation(page, study: str = STUDY):
    return page.locator(f'#in-animals ~ p a.cite__link[href$="{study.strip("/")}/"]').first


def preview_of(link):
    return link.locator("xpath=following-sibling::*[contains(@class, 'cite-preview')]")


def test_citation_preview_on_hover(page):
    page.goto(CLAIM)
    link = first_citation(page)
    preview = preview_of(link)
    expect(preview).to_be_hidden()
    link.hover()
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("Ketamine blocks bursting in the lateral habenula")
    expect(preview).to_contain_text("Nature, 2018")
    assert preview.get_attribute("id") == link.get_attribute("aria-describedby")
    page.mouse.move(0, 400)
    expect(preview).to_be_hidden()


def tab_to_first_citation(page):
    """The claim page with keyboard focus on its first animal-study citation, reached by Tab; returns the link."""
    page.goto(CLAIM)
    # Start the Tab order at the section's permalink, the last focusable element before the citation.
    page.locator("#in-animals a.headerlink").focus()
    page.keyboard.press("Tab")
    link = first_citation(page)
    expect(link).to_be_focused()
    return link


def test_citation_preview_on_keyboard_focus(page):
    link = tab_to_first_citation(page)
    expect(preview_of(link)).to_be_visible()
    page.keyboard.press("Tab")
    expect(link).not_to_be_focused()
    expect(preview_of(link)).to_be_hidden()


def test_citation_preview_on_tap_then_second_tap_follows(new_page):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(CLAIM)
    link = first_citation(page)
    link.scroll_into_view_if_needed()
    page.evaluate("window.addEventListener('click', event => { window.lastClick = event; }, true)")
    link.tap()
    preview = preview_of(link)
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("Ketamine blocks bursting")
    # The tap's click must be cancelled: then the browser does not follow the link.
    page.wait_for_function("() => window.lastClick !== undefined")
    assert page.evaluate("window.lastClick.defaultPrevented"), "the first tap should open the preview, not follow the link"
    assert urlsplit(page.url).path == CLAIM
    expect(preview).to_be_visible()
    box = preview.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"preview runs off screen: {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"preview runs off screen: {box}"
    page.locator("h1").tap()
    expect(preview).to_be_hidden()
    link.tap()
    expect(preview).to_be_visible()
    link.scroll_into_view_if_needed()
    link.tap()
    page.wait_for_url(on(STUDY))
    expect(page.locator("h1")).to_contain_text("Ketamine blocks bursting")
    assert at_top(page)


def test_citation_click_lands_on_the_study_and_cited_on_leads_back(page):
    page.goto(CLAIM)
    link = first_citation(page)
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(on(STUDY))
    expect(page.locator("h1")).to_contain_text("Ketamine blocks bursting in the lateral habenula")
    expect(page.locator(".study-facts")).to_contain_text("Nature")
    assert at_top(page), "a study page opens at its top"

    back = page.locator(f'#cited-on + ul a[href$="{CLAIM.strip("/").split("/")[-1]}/#in-animals"]')
    expect(back).to_contain_text("In animals")
    back.scroll_into_view_if_needed()
    back.click()
    page.wait_for_url(on(CLAIM, "in-animals"))
    expect(page.locator("#in-animals")).to_be_in_viewport()
    page.wait_for_function("window.scrollY > 200")
    assert heading_in_view(page, "in-animals")


def scheme(page) -> str:
    return page.locator("body").get_attribute("data-md-color-scheme")


def test_palette_toggle_switches_and_is_remembered(page):
    page.goto("/")
    assert scheme(page) == "default"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_title("Switch to dark mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light_bg
    page.goto(STUDY)
    assert scheme(page) == "slate"
    expect(page.get_by_title("Switch to light mode")).to_be_visible()
    page.get_by_title("Switch to light mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    page.goto(CLAIM)
    assert scheme(page) == "default"


def horizontal_overflow(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")


def _open_drawer(page):
    drawer = page.locator(".md-sidebar--primary")
    expect(drawer).not_to_be_in_viewport()
    page.locator('label.md-header__button[for="__drawer"]').click()
    expect(drawer).to_be_in_viewport()
    menu = drawer.locator("nav.md-nav--primary")
    for name in ["Home", "Claims", "Studies", "About"]:
        expect(menu.get_by_text(name, exact=True).first).to_be_in_viewport()
    return menu


def test_phone_drawer_reaches_every_menu(new_page):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto("/risks/")  # a page at the top level: the drawer opens there (on a claim page, in the Claims section)
    menu = _open_drawer(page)
    menu.locator("label.md-nav__link", has_text="About").click()
    methodology = menu.locator('a[href$="/about/methodology/"]')
    expect(methodology).to_be_in_viewport()
    methodology.click()
    page.wait_for_url("**/about/methodology/")
    expect(page.locator("h1")).to_be_visible()


def test_study_page_drawer_is_the_top_level(new_page):
    """A study page is in no section, so its menu is pruned to the top level: a section is a link to its first page."""
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(STUDY)
    menu = _open_drawer(page)
    expect(menu.locator('a[href$="/claims/legal-status/"]')).to_have_count(0)
    menu.locator("a.md-nav__link", has_text="About").click()
    page.wait_for_url("**/about/methodology/")
    expect(page.locator("h1")).to_be_visible()


def test_desktop_uses_the_width(page):
    page.goto(CLAIM)
    expect(page.locator(".md-sidebar--primary nav.md-nav--primary")).to_be_visible()
    expect(page.locator(".md-sidebar--secondary nav.md-nav--secondary")).to_be_visible()
    expect(page.locator('label.md-header__button[for="__drawer"]')).to_be_hidden()
    width = page.locator("article.md-content__inner").bounding_box()["width"]
    assert width > 600, f"the text column is only {width}px wide at 1280px"
    assert horizontal_overflow(page) <= 0


def test_copy_button_puts_the_bibtex_on_the_clipboard(new_page):
    page = new_page(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page.goto(STUDY)
    block = page.locator("#cite-as ~ .highlight").first
    block.hover()
    block.get_by_title("Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@article{yang2018ketamine,"), copied
    assert "Ketamine blocks bursting in the lateral habenula to rapidly relieve depression" in copied
    assert copied.rstrip().endswith("}")
    assert copied.strip() == block.locator("code").inner_text().strip()


@pytest.mark.parametrize("palette", ["default", "slate"])
def test_no_wcag_21_aa_violations(new_page, palette):
    page = new_page(viewport=DESKTOP)
    axe = Axe()
    page.goto("/")
    if palette == "slate":
        page.get_by_title("Switch to dark mode").click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    reports = []
    for path in PAGES:
        page.goto(path)
        page.reload()
        assert scheme(page) == palette
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        if results.violations_count:
            reports.append(f"{path} ({palette}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)
