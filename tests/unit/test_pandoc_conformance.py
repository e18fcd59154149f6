"""Pandoc's own citation cases (../shared/pandoc-conformance/cases.json, kept beside the checkout, never copied in):
the engine reads each as Pandoc reads it, both in what it finds (`citepages cites`) and in the page it renders."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
import pytest

from citepages.bib import page_name
from citepages.citations import AUTHOR_IN_TEXT, NORMAL, SUPPRESS_AUTHOR, analyse, split_front_matter
from citepages.render import inline_markdown
from citepages.site import analyse_site
from tests.conftest import ROOT

CASES = ROOT.parent / "shared" / "pandoc-conformance" / "cases.json"
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "citepages.markdown"]
# Pandoc's reading's markup, and the element it is rendered as.
MARKUP = {"Emph": "em", "Strong": "strong", "Code": "code", "Math": "span.math", "Link": "a"}
YEAR = "2000"


def _cases() -> list:
    if not CASES.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason="Pandoc's cases are shared beside the checkout, not published in the repository"))]
    return [pytest.param(case, id=case["id"]) for case in json.loads(CASES.read_text(encoding="utf-8"))["cases"]]


def normalised(text: str) -> str:
    """Text compared as the cases say: white space, quotes and dashes normalised."""
    text = text.replace("\u2014", "---").replace("\u2013", "--")
    text = re.sub("[\u201c\u201d\u201e\u00ab\u00bb]", '"', re.sub("[\u2018\u2019]", "'", text))
    return re.sub(r"\s+", " ", text).strip()


def shown(markdown_text: str) -> str:
    """A prefix or suffix as a reader sees it once rendered: its text, without the markup."""
    return normalised(html.unescape(re.sub(r"<[^>]+>", "", inline_markdown(markdown_text))))


def expected(case: dict, as_shown: bool = False) -> list:
    """Pandoc's reading; `as_shown`: a narrative suffix as the page shows it, after the year and a comma."""
    def suffix(cite):
        text = normalised(cite["suffix"])
        return text.lstrip(", ") if as_shown and cite["mode"] == AUTHOR_IN_TEXT else text

    return [[(c["key"], c["mode"], normalised(c["prefix"]), suffix(c)) for c in group] for group in case["expected"]]


def read(body: str) -> list:
    """The engine's reading, as `citepages cites` prints it."""
    groups = analyse("x.md", body).reading()
    return [[(c["key"], c["mode"], shown(c["prefix"]), shown(c["suffix"])) for c in g["citations"]] for g in groups]


class Citations(HTMLParser):
    """The citations of a rendered page: per group, per citation, the link, the text around it and the markup in it."""

    def __init__(self):
        super().__init__()
        self.groups: list[dict] = []
        self.stack: list[tuple[str, str]] = []  # (tag, role)
        self.cite: dict | None = None
        self.part = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        role = ""
        if tag == "span" and "citation" in classes:
            role = "group"
            self.groups.append({"narrative": "citation--narrative" in classes, "cites": []})
        elif tag == "span" and "cite" in classes and self.groups:
            role = "cite"
            self.cite = {"href": "", "before": "", "link": "", "after": "", "tags": set()}
            self.groups[-1]["cites"].append(self.cite)
            self.part = "before"
        elif tag == "a" and "cite__link" in classes and self.cite is not None:
            role, self.part = "link", "link"
            self.cite["href"] = attrs["href"]
        elif tag == "small" and "cite-preview" in classes:
            role, self.part = "preview", "preview"
        elif self.cite is not None and self.part != "preview":
            self.cite["tags"].add(f"{tag}.{classes[0]}" if classes else tag)
        if tag not in ("br", "img", "hr"):
            self.stack.append((tag, role))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, role = self.stack.pop()
            if role == "link":
                self.part = "after-link"
            elif role == "preview":
                self.part = "after"
            elif role == "cite":
                self.cite = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.cite is not None and self.part in ("before", "link", "after"):
            self.cite[self.part] += data


def rendered(page: str, keys: dict[str, str]) -> list:
    """The rendered citations in the shape of Pandoc's reading: key, mode, prefix, suffix."""
    parser = Citations()
    parser.feed(page)
    out = []
    for group in parser.groups:
        cites = []
        for i, cite in enumerate(group["cites"]):
            key = keys[unquote(cite["href"].rstrip("/").rsplit("/", 1)[-1])]
            if group["narrative"] and i == 0:
                suffix = cite["link"].removeprefix(f"Doe ({YEAR}").rstrip(")").lstrip(", ")
                cites.append((key, AUTHOR_IN_TEXT, "", normalised(suffix)))
            else:
                mode = SUPPRESS_AUTHOR if cite["link"] == YEAR else NORMAL
                cites.append((key, mode, normalised(cite["before"]), normalised(cite["after"])))
        out.append(cites)
    return out


def markup(page: str) -> list[set[str]]:
    parser = Citations()
    parser.feed(page)
    return [cite["tags"] for group in parser.groups for cite in group["cites"]]


def render(body: str, keys: set[str]) -> str:
    """The page as the extension renders it, with a bibliography that holds every key."""
    bib = "".join(f"@misc{{{key},\n  author = {{Doe, Jane}},\n  title = {{T}},\n  year = {{{YEAR}}},\n  publisher = {{P}}\n}}\n" for key in sorted(keys))
    site = analyse_site(bib.encode(), {"x.md": body})
    assert site.errors == [], [str(p) for p in site.errors]
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs={"citepages.markdown": {"analysis": site, "page": "x.md"}}).convert(body)


@pytest.mark.parametrize("case", _cases())
def test_pandoc_reads_it_so_and_so_does_the_engine(case):
    _, body, _ = split_front_matter(case["input"])
    reading = read(body)
    keys = {c[0] for g in reading for c in g} | {c["key"] for g in case["expected"] for c in g}
    page = render(body, keys)  # every case, Pandoc's own syntax included, renders without an error
    if case.get("pandoc_only"):
        return
    assert reading == expected(case)
    assert rendered(page, {page_name(key): key for key in keys}) == expected(case, as_shown=True)
    assert page.count('class="cite__link"') == sum(len(g) for g in reading)  # no link the reading does not have
    wanted = [{MARKUP[m] for m in c.get("markup") or []} for g in case["expected"] for c in g]
    assert [w & tags for w, tags in zip(wanted, markup(page))] == wanted
