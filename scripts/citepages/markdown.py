"""The Python-Markdown extension: Pandoc citations and the site's generated blocks, for any generator.

Load it under `markdown_extensions:` as `citepages.markdown` (options: `config`, the path of mkdocs.yml,
default the nearest one at or above the working folder). Every generator that runs Python-Markdown
extensions runs it: MkDocs and ProperDocs (through scripts/hooks.py, which hands it the analysed site and
the page being rendered) and Zensical (which passes the page through its own rendering context).

A preprocessor hands the page to `citepages.pages.page_markdown`, which stores each rendered citation in
Python-Markdown's stash, so the HTML comes back wherever the Markdown put it: paragraphs, headings, tables,
lists, admonitions, footnotes. In headings, two tree processors take the citations out around the toc
extension, so the toc gives the id and the table-of-contents label from the heading's own words.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown import Extension, util
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import pages
from .render import LINKS_FROM_FILE
from .site import Site

_pinned: dict = {}  # set by a generator's adapter: the analysed site and the page being rendered
_loaded: dict[Path, tuple[tuple, Site]] = {}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def use_site(site: Site | None, project: pages.Project | None = None) -> None:
    """Render with this analysed site until told otherwise (None: load it from the sources again)."""
    _pinned["site"], _pinned["project"] = site, project


def use_page(src: str, canonical_url: str = "") -> None:
    """The page the next conversion renders: its path under docs/ and its address."""
    _pinned["page"] = (src, canonical_url)


def _stamp(project: pages.Project) -> tuple:
    files = [project.bib, project.root / pages.GLOSSARY, *sorted(project.docs.rglob("*.md"))]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def _site(config: str) -> tuple[Site, pages.Project]:
    if _pinned.get("site") is not None:
        return _pinned["site"], _pinned["project"]
    project = pages.Project.find(config=Path(config) if config else None)
    stamp = _stamp(project)
    if (hit := _loaded.get(project.root)) is None or hit[0] != stamp:
        site = project.load()
        if site.errors:
            raise SystemExit("\n".join(str(p) for p in site.problems) + f"\ncitepages: {len(site.errors)} problem(s) in the sources")
        _loaded[project.root] = hit = (stamp, site)
    return hit[1], project


def _page(md) -> tuple[str, str, bool]:
    """The page being converted (its path under docs/ and its address), and whether the generator re-bases
    relative links from the page's file (render.LINKS_FROM_FILE): from Zensical's rendering context, which does,
    else from the adapter."""
    for processor in md.preprocessors:
        page = getattr(processor, "page", None) if processor.__class__.__name__ == "ContextPreprocessor" else None
        if page is not None:
            return page.path, "", True
    return (*_pinned.get("page", ("", "")), False)


class CitationPreprocessor(Preprocessor):
    def __init__(self, md, extension: CitationExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        site, project = _site(self.extension.getConfig("config"))
        src, canonical, from_file = _page(self.md)
        ours = self.md.citepages_stored = set()

        def store(html: str) -> str:
            placeholder = self.md.htmlStash.store(html)
            ours.add(placeholder)
            return placeholder

        token = LINKS_FROM_FILE.set(from_file)
        try:
            text = pages.page_markdown(site, src, "\n".join(lines), store, canonical_url=canonical,
                                       site_name=self.extension.getConfig("site_name"), terms=project.glossary() if project else [],
                                       footnotes="footnote" in self.md.parser.blockprocessors)
        finally:
            LINKS_FROM_FILE.reset(token)
        return text.split("\n")


_PLACEHOLDER_RE = re.compile(re.escape(util.HTML_PLACEHOLDER).replace("%s", r"\d+"))


class HeadingOut(Treeprocessor):
    """Before the toc extension: each citation in a heading taken out of its text (and kept)."""

    def run(self, root) -> None:
        ours = getattr(self.md, "citepages_stored", set())
        kept = self.md.citepages_headings = []
        if not ours:
            return
        strip = lambda text: _PLACEHOLDER_RE.sub(lambda m: "" if m[0] in ours else m[0], text)  # noqa: E731
        for heading in (el for el in root.iter() if el.tag in _HEADING_TAGS):
            for el in heading.iter():
                for slot in ("text",) + (("tail",) if el is not heading else ()):
                    value = getattr(el, slot)
                    if value and _PLACEHOLDER_RE.search(value) and (stripped := strip(value)) != value:
                        kept.append((el, slot, value))
                        setattr(el, slot, stripped)


class HeadingBack(Treeprocessor):
    """After the toc extension: the citations back where they were."""

    def run(self, root) -> None:
        for el, slot, value in getattr(self.md, "citepages_headings", []):
            setattr(el, slot, value)


class CitationExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "config": ["", "path of mkdocs.yml (default: the nearest one at or above the working folder)"],
            "site_name": ["", "the site's name, for cite-this-page"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "@"]  # \@ is a literal at sign, never a citation
        # After whitespace normalisation (30), which would remove the stash's placeholders, and before
        # fenced code (25) and raw HTML blocks (20): the citation scanner knows code and comments itself.
        md.preprocessors.register(CitationPreprocessor(md, self), "citepages", 29)
        md.treeprocessors.register(HeadingOut(md), "citepages_heading_out", 6)  # toc runs at 5
        md.treeprocessors.register(HeadingBack(md), "citepages_heading_back", 4)


def makeExtension(**kwargs) -> CitationExtension:
    return CitationExtension(**kwargs)
