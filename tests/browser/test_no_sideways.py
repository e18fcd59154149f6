"""No sideways scrolling on a phone: every page of the built site at 360 px, every <details> opened, has no element
wider than the screen (or off its side) and no box that scrolls sideways, code blocks included."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}

# Each problem on the page as a line: the page itself wider than the screen, an element reaching past either edge,
# or a box (a table wrapper, a code block) whose content is wider than the box and scrolls.
PROBLEMS = """() => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    const width = document.documentElement.clientWidth, out = [];
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join('');
    const page = document.scrollingElement;
    if (page.scrollWidth > page.clientWidth) out.push(`the page is ${page.scrollWidth}px wide`);
    for (const el of document.body.querySelectorAll('*')) {
        // The closed navigation drawer waits off screen by design; the search dialog is closed.
        if (el.closest('.md-sidebar--primary, .md-search') || !el.checkVisibility({visibilityProperty: true})) continue;
        const box = el.getBoundingClientRect();
        if (box.width && (box.left < -0.5 || box.right > width + 0.5))
            out.push(`${name(el)} spans ${Math.round(box.left)} to ${Math.round(box.right)}px`);
        if (/auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
            out.push(`${name(el)} scrolls sideways: ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
    return out;
}"""


def site_paths(site_dir) -> list[str]:
    """Every page's address; not 404.html, whose links start from the site's address on its host (a server sends it
    for any missing path there), so that it is only whole when served at that address."""
    return sorted("/" + p.relative_to(site_dir).as_posix().removesuffix("index.html") for p in site_dir.rglob("*.html")
                  if p.name != "404.html")


def test_every_page_fits_a_phone_screen(new_page, site_dir):
    paths = site_paths(site_dir)
    assert "/studies/abdallah2022dose/" in paths and "/studies/" in paths and len(paths) > 50, paths
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    found = []
    for path in paths:
        page.goto(path)
        found += [f"{path}: {problem}" for problem in page.evaluate(PROBLEMS)[:5]]
    assert not found, "at 360px:\n" + "\n".join(found)


def test_the_check_sees_a_wide_element_and_a_sideways_scroller(new_page):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto("/about/methodology/")
    assert page.evaluate(PROBLEMS) == []
    page.evaluate("""() => {
        const article = document.querySelector('article');
        article.insertAdjacentHTML('beforeend', '<div id="wide" style="width: 500px">x</div>'
            + '<pre><code id="code" style="white-space: pre; overflow-wrap: normal">' + 'x'.repeat(200) + '</code></pre>');
    }""")
    found = page.evaluate(PROBLEMS)
    assert any(p.startswith("div#wide spans") for p in found), found
    assert any(p.startswith("code#code scrolls sideways") for p in found), found
