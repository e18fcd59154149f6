"""The Python-Markdown extension: Pandoc citations, previews and a References list on every page, for any generator.

Load it under `markdown_extensions:` as `citepages.markdown`, with the BibTeX file as its option:

    markdown_extensions:
      - citepages.markdown:
          bibliography: refs.bib

Every generator that runs Python-Markdown extensions runs it (MkDocs, ProperDocs, Zensical); citepages.generators
finds the page being converted and the build's config. The sources are analysed once per build: by the
generator's adapter, which passes the analysis in through the option `analysis` (scripts/hooks.py does), or else
by the first page's conversion, which leaves it in the same option of the build's config for the pages after it.
A problem in the sources stops the build with one line per problem, `file:line:col: message`.

A preprocessor hands the page to `citepages.pages.page_markdown`, which stores each rendered citation in
Python-Markdown's stash, so the HTML comes back wherever the Markdown put it: paragraphs, headings, tables,
lists, admonitions, footnotes. In headings, two tree processors take the citations out around the toc
extension, so the toc gives the id and the table-of-contents label from the heading's own words.
What one page's conversion keeps is reset in `reset()`, which Python-Markdown calls between documents.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from markdown import Extension, util
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import generators, pages
from .render import LINKS_FROM_FILE
from .site import Site

EXTENSION = pages.EXTENSION
log = logging.getLogger("mkdocs.citepages")  # under `mkdocs.`, so that MkDocs' --strict counts its warnings
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Part:
    """A processor of the extension, which keeps what one document's conversion needs on the extension (reset between documents)."""

    def __init__(self, md, extension: CitationExtension):
        super().__init__(md)
        self.extension = extension


class CitationPreprocessor(_Part, Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context = generators.context(self.md, self.extension.getConfig("page"))
        site = self.extension.analysis(context)

        def store(html: str) -> str:
            placeholder = self.md.htmlStash.store(html)
            self.extension.stored.add(placeholder)
            return placeholder

        token = LINKS_FROM_FILE.set(context.links_from_file)
        try:
            text = pages.page_markdown(site, context.src, "\n".join(lines), store, url=context.url, settings=context.settings,
                                       footnotes="footnote" in self.md.parser.blockprocessors)
        finally:
            LINKS_FROM_FILE.reset(token)
        return text.split("\n")


_PLACEHOLDER_RE = re.compile(re.escape(util.HTML_PLACEHOLDER).replace("%s", r"\d+"))


class HeadingOut(_Part, Treeprocessor):
    """Before the toc extension: each citation in a heading taken out of its text (and kept)."""

    def run(self, root) -> None:
        ours, kept = self.extension.stored, self.extension.headings
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


class HeadingBack(_Part, Treeprocessor):
    """After the toc extension: the citations back where they were."""

    def run(self, root) -> None:
        for el, slot, value in self.extension.headings:
            setattr(el, slot, value)


class CitationExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "bibliography": ["references.bib", "the BibTeX file, from the folder of the generator's config"],
            "plugins": [[], "modules that add checks, blocks and markers to the engine (see citepages.plugins)"],
            "config": ["", "the project's mkdocs.yml, when the generator's config is a staged copy (`citepages build --site`)"],
            "analysis": ["", "the analysed sources (citepages.site.Site), from the generator's adapter or an earlier page"],
            "page": ["", "the page's path under the docs folder, when no generator converts it"],
        }
        super().__init__(**kwargs)
        self.stored: set[str] = set()  # this document's stash placeholders that hold citations
        self.headings: list = []  # (element, slot, text) of each heading text whose citations are out for the toc

    def analysis(self, context: generators.Context) -> Site:
        """The build's analysed sources: given, or read now and left in the build's config for the next page."""
        site = self.getConfig("analysis")
        if site:
            return site
        if self.getConfig("config"):
            project = pages.Project.find(config=Path(self.getConfig("config")))
        else:
            project = pages.Project.at(context.root, context.docs.resolve(), {name: self.getConfig(name) for name in ("bibliography", "plugins")})
        if not project.bibliography.is_file():
            raise SystemExit(f"citepages: no such file: {project.bibliography} (the option 'bibliography' of {pages.EXTENSION})")
        site = project.load()
        for problem in site.problems:
            (log.warning if problem.warning else log.error)(str(problem))
        if site.errors:
            raise SystemExit(f"citepages: {len(site.errors)} problem(s) in the sources; nothing was built")
        mdx_configs = context.config.get("mdx_configs")
        if mdx_configs is not None:
            mdx_configs.setdefault(pages.EXTENSION, {})["analysis"] = site
        return site

    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "@"]  # \@ is a literal at sign, never a citation
        # After whitespace normalisation (30), which would remove the stash's placeholders, and before
        # fenced code (25) and raw HTML blocks (20): the citation scanner knows code and comments itself.
        md.preprocessors.register(CitationPreprocessor(md, self), "citepages", 29)
        md.treeprocessors.register(HeadingOut(md, self), "citepages_heading_out", 6)  # toc runs at 5
        md.treeprocessors.register(HeadingBack(md, self), "citepages_heading_back", 4)

    def reset(self) -> None:
        self.stored, self.headings = set(), []


def convert_page(md, src: str) -> None:
    """For a caller that converts many pages with one converter of its own (citepages.links): the page the next
    conversion is (no generator says it there)."""
    for extension in md.registeredExtensions:
        if isinstance(extension, CitationExtension):
            extension.setConfig("page", src)


def makeExtension(**kwargs) -> CitationExtension:
    return CitationExtension(**kwargs)
