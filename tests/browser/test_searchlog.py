"""A reader who follows a link to a logged search lands on it, though "How we searched" starts collapsed."""

from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.build.test_searchlog_site import BIB, CLAIM, HOME
from tests.browser.conftest import serving
from tests.conftest import make_site, mkdocs_build

pytestmark = pytest.mark.browser
CLAIM_URL = "/claims/bursting/"


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("searchlog"), BIB, {"index.md": HOME, "claims/bursting.md": CLAIM})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    with serving(site / "site") as origin:
        yield origin


@pytest.fixture
def reader(browser, origin):
    context = browser.new_context(base_url=origin, viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_the_section_starts_collapsed_and_a_click_on_a_search_link_opens_it_at_the_search(reader):
    reader.goto(CLAIM_URL)
    search = reader.locator("#search-bursting-people")
    expect(reader.locator("details.search-log")).not_to_have_attribute("open", "")
    expect(search).to_be_hidden()
    reader.get_by_role("link", name="our search").click()
    expect(search).to_be_visible()
    expect(search).to_be_in_viewport()


def test_a_shared_link_to_a_search_opens_the_section_at_the_search(reader):
    reader.goto(CLAIM_URL + "#search-bursting-people")
    search = reader.locator("#search-bursting-people")
    expect(search).to_be_visible()
    expect(search).to_be_in_viewport()
    expect(search).to_contain_text("ketamine habenula bursting humans")


def test_the_opened_search_log_has_no_wcag_21_aa_violations(reader):
    reader.goto(CLAIM_URL + "#search-bursting-people")
    expect(reader.locator("#search-bursting-people")).to_be_visible()
    results = Axe().run(reader, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_report()


def test_a_malformed_address_opens_nothing_and_raises_nothing(reader):
    errors = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto(CLAIM_URL + "#search-%E0%A4%A")
    expect(reader.locator("details.search-log")).not_to_have_attribute("open", "")
    assert errors == []
