"""The navigation and the links of a site, checked as MkDocs' strict build checks them, so that `citepages check`
fails where the build fails: `nav:` entries that name no page, pages no `nav:` entry names, and links to pages,
files and anchors that do not exist, each at the level mkdocs.yml's `validation:` gives it (only `warn` counts).

Each page is converted by Python-Markdown with the site's own extensions (citepages' among them), as the build
converts it, and its ids and links are taken where MkDocs takes them: ids from the finished tree and from the
page's raw HTML, links from the `<a>` and `<img>` elements of the tree. The study pages, which citepages renders
straight to HTML, are targets only: their ids are their headings'.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from markdown import util
from markdown.htmlparser import htmlparser
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import markdown as extension
from .pages import CONFIG
from .problems import Problem, excerpt
from .render import element_ids, study_page
from .site import INDEX_PATH, index_page, study_path

_LEVELS = {"warn": logging.WARNING, "info": logging.INFO, "ignore": logging.DEBUG}
# MkDocs 1.6's defaults (mkdocs/config/defaults.py, Validation); a key at the top applies to both groups.
_DEFAULTS = {
    "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "info"},
    "links": {"not_found": "warn", "absolute_links": "info", "unrecognized_links": "info", "anchors": "info"},
}
BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]  # MkDocs loads these whatever the config says


def validation(config: dict) -> dict[str, dict[str, bool]]:
    """For each group ("nav", "links") and check, whether the build warns (and so a strict build fails)."""
    given = config.get("validation") if isinstance(config.get("validation"), dict) else {}
    out = {}
    for group, checks in _DEFAULTS.items():
        nested = given.get(group) if isinstance(given.get(group), dict) else {}
        out[group] = {name: _LEVELS.get(str(nested.get(name, given.get(name, default))), 0) >= logging.WARNING
                      for name, default in checks.items()}
    return out


class _Ids(Treeprocessor):
    """Every id of the finished tree, and the name of every <a> (where MkDocs collects anchors, beside the toc)."""

    def run(self, root) -> None:
        self.md.citepages_ids |= {el.get("id") for el in root.iter() if el.get("id")}
        self.md.citepages_ids |= {el.get("name") for el in root.iter("a") if el.get("name")}


class _Links(Treeprocessor):
    """The address of every <a> and <img> of the finished tree, in document order."""

    def run(self, root) -> None:
        self.md.citepages_links = [el.get("href" if el.tag == "a" else "src") for el in root.iter() if el.tag in ("a", "img")]
        self.md.citepages_links = [url for url in self.md.citepages_links if url is not None]


class _RawIds(Preprocessor):
    """The ids of the page's raw HTML, read before Python-Markdown takes the HTML blocks out of the text."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _IdParser()
        parser.feed("\n".join(lines))
        parser.close()
        self.md.citepages_ids |= parser.ids
        return lines


class _IdParser(htmlparser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.ids |= {value for name, value in attrs if value and (name == "id" or (name == "name" and tag == "a"))}


def _converter(config: dict, root: Path, site) -> markdown.Markdown:
    """A Markdown converter with the site's extensions and their options, as MkDocs makes it (citepages' given the
    analysed site, as the MkDocs hook gives it)."""
    names, options = [], {}
    for item in [*BUILTIN_EXTENSIONS, *(config.get("markdown_extensions") or [])]:
        name, given = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name not in names:
            names.append(name)
        options[name] = {**options.get(name, {}), **(given or {})}
    if extension.EXTENSION in options:
        options[extension.EXTENSION]["analysis"] = site
    if "pymdownx.snippets" in options:
        options["pymdownx.snippets"]["base_path"] = [str(root / p) for p in options["pymdownx.snippets"].get("base_path") or ["."]]
    md = markdown.Markdown(extensions=names, extension_configs={n: o for n, o in options.items() if o})
    md.treeprocessors.register(_Ids(md), "citepages_ids", 5)  # after the toc gives headings their ids
    md.treeprocessors.register(_Links(md), "citepages_links", 0)
    md.preprocessors.register(_RawIds(md), "citepages_raw_ids", 21)  # before html_block (20)
    return md


def _place(text: str, url: str) -> tuple[int, int | None]:
    """The line and column where the text holds the address (line 1 when the build adds the link)."""
    at = text.find(url)
    return (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (1, None)


def check_links(site, project, files: set[str]) -> list[Problem]:
    """Problems with the site's navigation and links, as warnings where the strict build warns.
    `files` are the paths, under the docs folder, of every file the build has (hand-written and generated)."""
    config = project.config()
    levels = validation(config)
    problems = _check_nav(config, (project.root / CONFIG).read_text(encoding="utf-8"), levels["nav"], files, site, project.docs_label())
    # The hand-written pages, and the generated page MkDocs converts (the study index): (text, label, lines before the text).
    pages = {src: (doc.text, doc.path, doc.line_offset) for src, doc in site.docs.items()}
    pages[INDEX_PATH] = (index_page(site), f"{INDEX_PATH} (generated)", 0)
    md = _converter(config, project.root, site)
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for src, (text, _, _) in pages.items():
        md.reset()
        md.citepages_ids = set()
        extension.convert_page(md, src)
        html = md.convert(text)
        # The ids of the HTML the extension hands over finished (a search log) too, as the MkDocs hook counts them.
        ids[src], links[src] = md.citepages_ids | element_ids(html), md.citepages_links
    backlinks = site.backlinks()
    for key in {_study_key(src, url) for src, urls in links.items() for url in urls} & set(site.library.entries):
        # A study page that a link reaches: its ids are its headings' (it is HTML that citepages renders itself).
        ids[study_path(key)] = {heading[1] for heading in study_page(site.library.entries[key], backlinks.get(key, []), "#").headings}
    for src, urls in links.items():
        text, label, offset = pages[src]
        for url in dict.fromkeys(urls):
            if message := _link_problem(src, url, files, ids, levels["links"]):
                line, col = _place(text, url)
                problems.append(Problem(label, offset + line, col, f"link {excerpt(url)}: {message}", warning=True))
    return problems


def _study_key(src: str, url: str) -> str | None:
    """The study key a link from page `src` goes to, if it goes to a study page."""
    path = urlsplit(url).path
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(path))) if path else ""
    return target.removeprefix("studies/").removesuffix(".md") if target.startswith("studies/") and target.endswith(".md") else None


def _link_problem(src: str, url: str, files: set[str], ids: dict[str, set[str]], warn: dict[str, bool]) -> str | None:
    """What MkDocs would warn of this link from page `src`, or None (also when the build only tells of it)."""
    scheme, netloc, path, _, anchor = urlsplit(url)
    if scheme or netloc or util.AMP_SUBSTITUTE in url:
        return None
    if url.startswith(("/", "\\")):
        return "an absolute address; write it relative to this page" if warn["absolute_links"] else None
    if not path:
        return _anchor_problem(anchor, src, ids, warn)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(path)).lstrip("/"))
    if target not in files:
        if not posixpath.splitext(path)[1]:
            return "names no page or file (link to the page's .md file)" if warn["unrecognized_links"] else None
        return f"no page or file '{excerpt(target, quoted=False)}'" if warn["not_found"] else None
    return _anchor_problem(anchor, target, ids, warn) if anchor else None


def _anchor_problem(anchor: str, target: str, ids: dict[str, set[str]], warn: dict[str, bool]) -> str | None:
    if not warn["anchors"] or target not in ids or anchor in ids[target]:
        return None
    return f"'{excerpt(target, quoted=False)}' has no heading or element with the id '{excerpt(anchor, quoted=False)}'"


def _nav_paths(nav) -> list[str]:
    """Every address a `nav:` names, in order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in _nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []


def _check_nav(config: dict, config_text: str, warn: dict[str, bool], files: set[str], site, docs: str) -> list[Problem]:
    nav = config.get("nav")
    if nav is None:
        return []
    problems, named = [], set()
    for path in _nav_paths(nav):
        scheme, netloc, *_ = urlsplit(path)
        named.add(path)
        if scheme or netloc or path in files:
            continue
        absolute = path.startswith("/")
        if warn["absolute_links" if absolute else "not_found"]:
            what = "is an absolute address" if absolute else f"is no page in {docs}/"
            line, col = _place(config_text, path)
            problems.append(Problem("mkdocs.yml", line, col, f"nav: {excerpt(path)} {what}", warning=True))
    if warn["omitted_files"]:
        patterns = [re.compile(_glob(p)) for p in str(config.get("not_in_nav") or "").split()]
        for src, doc in site.docs.items():
            if src not in named and not any(p.search("/" + src) for p in patterns):
                problems.append(Problem(doc.path, 1, None, "the page is in no 'nav' entry of mkdocs.yml; add it there", warning=True))
    return problems


def _glob(pattern: str) -> str:
    """A gitignore-style pattern (as `not_in_nav` holds them) as a regular expression over '/'-led paths."""
    anchored = pattern.startswith("/")
    body = re.escape(pattern.lstrip("/")).replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return ("^/" if anchored else "/") + body + "(/|$)"
