"""Everything the build knows about the sources: the library, each page's citations and front matter, and all problems.

`analyse_site` takes plain data (the .bib bytes and the pages' text) so that the MkDocs hook, the Python-Markdown
extension, the CLI and the tests share one code path; `study_pages` and `generated_pages` give the pages a build adds.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .bib import Entry, Library, load_library
from .citations import Document, analyse, split_front_matter
from .plugins import Plugins
from .problems import Problem, decode
from .render import Backlink, Study, abbreviator, index_table, render_index, render_study, study_page, study_path

INDEX_PATH = "studies/index.md"
EXPORTS = ("references.bib", "references.json")  # the whole bibliography, as BibTeX and as CSL-JSON
_UNCLOSED_RE = re.compile(r"---[ \t]*\n")  # a first line that opens front matter


def served_at(src: str) -> str:
    """The file a Markdown page becomes with directory URLs, as MkDocs names it: index.md and README.md
    become the folder's index.html, x.md becomes x/index.html."""
    folder, name = posixpath.split(src.removesuffix(".md"))
    return posixpath.join(folder, "index.html" if name in ("index", "README") else f"{name}/index.html")


def key_collisions(library: Library, bib_label: str) -> list[Problem]:
    """A study key whose page would be written where the studies index is ('index', 'README'), or whose folder
    would be where the index's file is ('index.html'); compared without case, as some file systems do."""
    index = served_at(INDEX_PATH).lower()
    problems = []
    for key, entry in library.entries.items():
        page = served_at(study_path(key)).lower()
        if page == index or page.startswith(index + "/"):
            problems.append(Problem(bib_label, entry.line, None, f"entry '{key}': the key would put its page where the studies index "
                                    f"is ({index}); choose another key (authorYEARword, such as yang2018ketamine)"))
    return problems


@dataclass
class Site:
    """The analysed sources of one build: the library, each page's citations and front matter, and every problem."""

    library: Library
    docs: dict[str, Document] = field(default_factory=dict)
    meta: dict[str, dict] = field(default_factory=dict)
    where: dict[str, dict] = field(default_factory=dict)  # the place of each front-matter field, of each page whose front matter was read
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)  # (term, definition), marked on study pages
    extra: dict = field(default_factory=dict)  # what a plug-in's checks keep of the sources
    plugins: Plugins = field(default_factory=Plugins)
    docs_label: str = "docs"  # the docs folder, as problems name it
    files: list[str] = field(default_factory=list)  # every hand-written file under it, pages included
    settings: dict = field(default_factory=dict)  # the config's addresses and extra (Project.load: site_url, repo_url, site_name, extra)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @functools.cached_property
    def studies(self) -> dict[str, Entry]:
        """Each study page's path (`study_path`) and its entry."""
        return {study_path(key): entry for key, entry in self.library.entries.items()}

    def failing(self, strict: bool) -> list[Problem]:
        """The problems that stop a build: errors, and in a strict build (MkDocs' `strict: true`) warnings too."""
        return list(self.problems) if strict else self.errors

    def cited_keys(self, src: str) -> list[str]:
        """The keys a page cites, in order of first citation."""
        return list(dict.fromkeys(c.key for g in self.docs[src].groups for c in g.cites))

    @functools.cached_property
    def _backlinks(self) -> dict[str, list[Backlink]]:
        out: dict[str, list[Backlink]] = {}
        for src in sorted(self.docs):
            doc = self.docs[src]
            for group in doc.groups:
                for cite in group.cites:
                    link = Backlink(src, group.anchor, self.titles[src], group.section)
                    if link not in out.setdefault(cite.key, []):
                        out[cite.key].append(link)
        return out

    def backlinks(self) -> dict[str, list[Backlink]]:
        """For each key, the sections citing it, once each, in page order (worked out once: the pages are analysed)."""
        return self._backlinks

    def generated_paths(self) -> dict[str, str]:
        """Every path a build adds beside the hand-written files, with what it is: the study pages and their index,
        the bibliography's exports, and the plug-ins' files."""
        out = {INDEX_PATH: "study page", **{path: "study page" for path in self.studies}, **{export: "bibliography export" for export in EXPORTS}}
        for paths in self.plugins.paths:
            out.update(paths(self))
        return out

    def taken(self, generated: dict[str, str]) -> list[Problem]:
        """A problem for each hand-written file at a path the build generates (`generated`: path → what it is)."""
        problems = []
        for path in self.files:
            # A page at studies/<key>/index.md has the address of studies/<key>.md.
            what = generated.get(path) or (generated.get(path.removesuffix("/index.md") + ".md") if path.endswith("/index.md") else None)
            if what:
                problems.append(Problem(f"{self.docs_label}/{path}", 1, None, f"this path is needed for a generated {what}; "
                                        "move or rename the hand-written file"))
        return problems

    def unknown_key(self, label: str, key: str, line: int, col: int | None, what: str = "unknown citation key") -> Problem:
        """The problem of a key the library does not hold, with the closest key it does."""
        hint = self.library.suggest(key)
        return Problem(label, line, col, f"{what} '{key}'" + (f" (did you mean '{hint}'?)" if hint else ""))


def analyse_site(bib: bytes, pages: dict[str, str | bytes], bib_label: str = "references.bib", docs_label: str = "docs",
                 plugins: Plugins | None = None, sources=None, files=()) -> Site:
    """Parse the library and every page (its text, or its bytes as read from the file), run the plug-ins' checks,
    and collect every problem in one pass. `sources` are the project's other files, by path from its folder, as the
    checks read them (`sources.get(path)`: bytes or None); `files` are the hand-written files under the docs folder
    besides the pages."""
    library, problems = load_library(bib, bib_label)
    site = Site(library, problems=list(problems) + key_collisions(library, bib_label), plugins=plugins or Plugins(),
                docs_label=docs_label, files=sorted({*files, *pages}))
    for src in sorted(pages):
        label = f"{docs_label}/{src}"
        text, text_problems = decode(pages[src], label)
        yaml_text, body, offset = split_front_matter(text)
        meta, meta_problems, where = schema.front_matter(yaml_text, label)
        if yaml_text is None and _UNCLOSED_RE.match(text):
            meta_problems.append(Problem(label, 1, None, "front matter: the '---' on this line opens front matter that no "
                                         "'---' line closes; close it (or start the page with its heading)"))
        site.problems += text_problems + meta_problems
        if meta or not meta_problems:  # front matter that could not be read is not also missing every field
            site.where[src] = where
        doc = analyse(label, body, offset)
        site.docs[src], site.meta[src] = doc, meta
        site.problems += doc.problems
        first_h1 = next((h.title for h in doc.headings if h.level == 1), "")
        site.titles[src] = str(meta.get("title") or first_h1 or src)
        for group in doc.groups:
            for cite in group.cites:
                if cite.key not in library.entries:
                    site.problems.append(site.unknown_key(label, cite.key, cite.line, cite.col))
    site.problems += site.taken(site.generated_paths())
    for check in site.plugins.checks:
        site.problems += check(site, {} if sources is None else sources)
    cited = site.backlinks()
    for entry in library.entries.values():
        if entry.key not in cited and not entry.background:
            site.problems.append(
                Problem(bib_label, entry.line, None, f"entry '{entry.key}' is cited on no page (cite it, or mark it 'background = {{true}}')", warning=True)
            )
    site.problems = sorted(set(site.problems))
    return site


def study_pages(site: Site, source_href, **options) -> Iterator[tuple[str, Study]]:
    """Each study's path and page as HTML (`render.study_page`, given `options`), the site's abbreviations marked;
    one at a time, so that a caller that writes each away never holds them all."""
    backlinks, abbreviate = site.backlinks(), abbreviator(site.abbreviations)
    for path, entry in site.studies.items():
        yield path, study_page(entry, backlinks.get(entry.key, []), source_href(entry.line), abbreviate, **options)


def _citing_pages(site: Site) -> dict[str, int]:
    return {key: len({link.src for link in links}) for key, links in site.backlinks().items()}


def index_page(site: Site, table: bool = True) -> str:
    """The Markdown of the study index (`render.render_index`): the exports, and what the plug-ins link from it."""
    downloads, links = [], []
    for index in site.plugins.index:
        more_downloads, more_links = index(site)
        downloads += more_downloads
        links += [more_links] if more_links else []
    return render_index(site.library, _citing_pages(site), table, EXPORTS, downloads, "\n".join(links))


def study_index(site: Site) -> str:
    """The HTML table of the study index."""
    return index_table(site.library, _citing_pages(site))


def generated_pages(site: Site, source_href) -> dict[str, str]:
    """Path → Markdown of every generated page, as `citepages build` writes them: one per study, and the index."""
    backlinks = site.backlinks()
    studies = {path: render_study(entry, backlinks.get(entry.key, []), source_href(entry.line)) for path, entry in site.studies.items()}
    return {**studies, INDEX_PATH: index_page(site)}


def read_docs(docs_dir: Path) -> dict[str, bytes]:
    """The Markdown pages under a docs folder, as bytes (`analyse_site` reports what is not UTF-8), by path relative to it."""
    return {p.relative_to(docs_dir).as_posix(): p.read_bytes() for p in sorted(docs_dir.rglob("*.md"))}


def hand_files(docs_dir: Path) -> list[str]:
    """Every file under a docs folder, by path relative to it."""
    return [p.relative_to(docs_dir).as_posix() for p in sorted(docs_dir.rglob("*")) if p.is_file()]
