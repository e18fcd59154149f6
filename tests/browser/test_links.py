"""Every internal link and anchor in the built site resolves: a crawl of the files, beyond MkDocs' own validation."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import serving

EXTERNAL = {"http", "https", "mailto", "tel"}
# (tag, attribute) pairs that point at another file of the site.
LINKING = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src")}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for linking_tag, attr in LINKING:
            if tag == linking_tag and attrs.get(attr) is not None:
                self.links.append((self.getpos()[0], tag, attrs[attr]))


def resolve(base: str, link: str) -> str | None:
    """The site path a relative link points at, or None when it climbs out of the site."""
    segments: list[str] = []
    for segment in (base + link).split("/"):
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    return "/" + "/".join(segments) + ("/" if link.endswith("/") and segments else "")


def target_file(site: Path, path: str) -> Path | None:
    candidate = site / path.lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path, prefix: str) -> list[str]:
    pages = {}
    for file in sorted(site.rglob("*.html")):
        parser = Page()
        parser.feed(file.read_text(encoding="utf-8"))
        pages[file] = parser

    problems = []
    for file, parser in pages.items():
        rel = file.relative_to(site).as_posix()
        # Pages are served as directories: a/b/index.html is /a/b/, so relative links start from there.
        base = "/" + posixpath.dirname(rel) + "/" if "/" in rel else "/"
        for line, tag, link in parser.links:
            where = f"{rel}:{line}: <{tag}> {link!r}"
            parts = urlsplit(link)
            if parts.scheme in EXTERNAL or (parts.netloc and not parts.scheme):
                continue
            if parts.scheme:
                problems.append(f"{where}: unexpected scheme {parts.scheme!r}")
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(prefix):
                    problems.append(f"{where}: absolute path outside the site's {prefix}")
                    continue
                path = "/" + path[len(prefix):]
            elif path:
                path = resolve(base, path)
                if path is None:
                    problems.append(f"{where}: leaves the site")
                    continue
            target = target_file(site, path) if path else file
            if target is None:
                problems.append(f"{where}: no file {path}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and tag == "a":
                if target.suffix != ".html":
                    problems.append(f"{where}: fragment on a non-HTML file")
                elif fragment not in pages[target].ids:
                    problems.append(f"{where}: no element with id {fragment!r} in {target.relative_to(site).as_posix()}")
    return problems


def test_every_internal_link_and_anchor_resolves(site_dir, site_url):
    assert (site_dir / "studies" / "yang2018ketamine" / "index.html").is_file()
    # 404.html links through the path the site is published under (site_url's), so may any page.
    problems = broken_links(site_dir, urlsplit(site_url).path.rstrip("/") + "/")
    assert not problems, f"{len(problems)} broken internal link(s):\n" + "\n".join(problems)


def test_every_internal_link_and_anchor_of_the_zensical_site_resolves(zensical_site, site_url):
    assert (zensical_site / "studies" / "yang2018ketamine" / "index.html").is_file()
    problems = broken_links(zensical_site, urlsplit(site_url).path.rstrip("/") + "/")
    assert not problems, f"{len(problems)} broken internal link(s):\n" + "\n".join(problems)


def test_zensical_header_search_finds_a_study_at_desktop_width(browser, zensical_site):
    with serving(zensical_site) as origin:
        context = browser.new_context(base_url=origin, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto("/")
        # One line: Material's search markup under Zensical's stacked its label and icons into a 108 px header.
        assert page.locator(".md-header").bounding_box()["height"] <= 64
        page.locator(".md-search__button").click()
        page.keyboard.type("bursting", delay=20)
        # A result's title has the query word marked up inside it; its accessible name is the whole title.
        expect(page.get_by_role("heading", name="Ketamine blocks bursting in the lateral habenula").first).to_be_visible()
        context.close()


def test_the_crawl_finds_broken_links_and_anchors(tmp_path):
    """The crawler itself: a missing page, a missing anchor and an escape are each reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a id="top" href="a/#here">ok</a><a href="a/#gone">x</a><a href="missing/">x</a>'
        '<a href="#top">ok</a><a href="../../etc/">x</a><a href="https://example.org/#x">ok</a>'
        '<a href="/site/a/">ok</a><a href="/other/">x</a><link href="style.css">',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">h</h2><a href="../#top">ok</a>', encoding="utf-8")
    problems = broken_links(tmp_path, "/site/")
    assert len(problems) == 5, problems
    for expected in ["'gone'", "no file /missing/", "leaves the site", "outside the site's /site/", "no file /style.css"]:
        assert any(expected in problem for problem in problems), (expected, problems)
