"""Hostile bibliography text, rendered and opened in Chromium: no dialog ever opens."""

from __future__ import annotations


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
"""
PAGE = "# Hostile\n\n## Evidence\n\nText [@evil2020x].\n\n<!-- citepages:timeline -->\n"


@pytest.fixture(scope="module")
def hostile_origin(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("hostile"), BIB, {"index.md": PAGE})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    with serving(site / "site") as origin:
        yield origin


def test_no_dialog_opens_on_any_page_showing_hostile_text(browser, hostile_origin):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("/", "/studies/", "/studies/evil2020x/"):
        page.goto(hostile_origin + path)
        page.wait_for_load_state("load")
        page.mouse.move(5, 5)
        for link in page.locator(".cite__link").all():
            preview = link.locator("xpath=following-sibling::*[contains(@class, 'cite-preview')]")
            link.hover()
            expect(preview).to_be_visible()  # the hostile text is on screen: any script in it would have run
            link.focus()
            expect(preview).to_be_visible()
    study_text = page.inner_text("article")
    context.close()
    assert dialogs == []
    assert "<script>alert(2)</script>" in study_text, "hostile text is shown as text"
