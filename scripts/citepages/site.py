"""Everything the build knows about the sources: the library, each page's citations, and all problems.

`analyse_site` takes plain data (the .bib bytes and the pages' text) so that the MkDocs hook, the
CLI and the tests share one code path; `generated_pages` returns the pages a build adds.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from factcheck import essay as essays
from factcheck import findings, frontmatter, opendata
from factcheck.changes import FEED_PATH, History
from factcheck.figures import check_fields

from .bib import Entry, Library, load_library
from .citations import Document, analyse, split_front_matter
from .problems import Problem, decode
from .render import Backlink, render_index, render_study, study_page, study_path

INDEX_PATH = "studies/index.md"
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


def is_claim(src: str) -> bool:
    return src.startswith("claims/") and src != "claims/index.md"


def slug(src: str) -> str:
    return src.removeprefix("claims/").removesuffix(".md")


def claim_files(src: str) -> tuple[str, str, str]:
    """The share card and the two reference downloads a build makes for the claim page `src`."""
    return f"assets/cards/{slug(src)}.jpg", f"downloads/{slug(src)}.bib", f"downloads/{slug(src)}.ris"


EXPORTS = ("references.bib", "references.json")  # the whole bibliography, as BibTeX and as CSL-JSON


def generated_paths(keys, srcs) -> dict[str, str]:
    """Every path a build adds beside the hand-written files, given the study keys and the pages, with what it is."""
    out = {INDEX_PATH: "study page", **{study_path(key): "study page" for key in keys}}
    out.update({export: "bibliography export" for export in EXPORTS})
    out.update({path: "open data" for path in (opendata.JSON_PATH, opendata.CSV_PATH, opendata.SCHEMA_PATH)})
    out[FEED_PATH] = "feed of changes"
    for src in filter(is_claim, srcs):
        card, bib, ris = claim_files(src)
        out.update({card: "share card", bib: "reference download", ris: "reference download"})
    return out


# Pages that answer a reader's question, ranked above the study pages behind them for their own words.
ANSWER_PAGES = {"risks.md"}
SEARCH_BOOST = 4  # enough to lift a claim above the studies whose text has the same words; a title match still counts for more


def is_answer(src: str) -> bool:
    """A page that answers a reader's question: a claim page or one of ANSWER_PAGES."""
    return is_claim(src) or src in ANSWER_PAGES


def search_meta(src: str, meta: dict) -> dict:
    """The page's metadata with the search rank of an answer page: Material's search plugin reads `search: boost`.
    Set in the build, not in each page's front matter, so that every claim page gets it."""
    if not is_answer(src):
        return meta
    return {**meta, "search": {**(meta.get("search") or {}), "boost": SEARCH_BOOST}}


@dataclass
class Site:
    library: Library
    docs: dict[str, Document] = field(default_factory=dict)
    meta: dict[str, dict] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    essay: essays.Essay | None = None
    # Set by pages.Project.attach for a build: the repository's history of the pages, and the config's addresses.
    history: History = field(default_factory=History)
    settings: dict = field(default_factory=dict)

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

    def backlinks(self) -> dict[str, list[Backlink]]:
        """For each key, the sections citing it, once each, in page order."""
        out: dict[str, list[Backlink]] = {}
        for src in sorted(self.docs):
            doc = self.docs[src]
            for group in doc.groups:
                for cite in group.cites:
                    link = Backlink(src, group.anchor, self.titles[src], group.section)
                    if link not in out.setdefault(cite.key, []):
                        out[cite.key].append(link)
        return out


def analyse_site(bib: bytes, pages: dict[str, str | bytes], bib_label: str = "references.bib", docs_label: str = "docs",
                 essay: bytes | None = None, essay_label: str = essays.PATH, files=()) -> Site:
    """Parse the library, the essay (the contents of essay.yml, None when there is none) and every page
    (its text, or its bytes as read from the file), and collect every problem in one pass.
    `files` are the other hand-written files under the docs folder."""
    library, problems = load_library(bib, bib_label)
    site = Site(library, problems=list(problems) + check_fields(library) + key_collisions(library, bib_label))
    texts = {}
    for src in sorted(pages):
        texts[src], text_problems = decode(pages[src], f"{docs_label}/{src}")
        site.problems += text_problems
    if essay is not None:
        site.essay, essay_problems = essays.load_essay(essay, essay_label)
        site.problems += essay_problems
    elif any(is_claim(src) or essays.MARKER in text or essays.WORDING_MARKER in text for src, text in texts.items()):
        site.problems.append(Problem(essay_label, 1, None, "no such file: the claim pages need the essay they check "
                                     "(author, title, outlet, date, url)"))
    if site.essay is not None:
        for entry in library.entries.values():
            entry.after_essay = site.essay.date if essays.after(entry, site.essay.date) else None
    generated = generated_paths(library.entries, pages)
    for path in sorted({*files, *pages}):
        # A page at studies/<key>/index.md has the address of studies/<key>.md.
        what = generated.get(path) or (generated.get(path.removesuffix("/index.md") + ".md") if path.endswith("/index.md") else None)
        if what:
            site.problems.append(Problem(f"{docs_label}/{path}", 1, None, f"this path is needed for a generated {what}; "
                                         "move or rename the hand-written file"))
    for src, text in texts.items():
        label = f"{docs_label}/{src}"
        yaml_text, body, offset = split_front_matter(text)
        meta, meta_problems, where = frontmatter.read(yaml_text, label)
        if yaml_text is None and _UNCLOSED_RE.match(text):
            meta_problems.append(Problem(label, 1, None, "front matter: the '---' on this line opens front matter that no "
                                         "'---' line closes; close it (or start the page with its heading)"))
        site.problems += meta_problems
        if meta or not meta_problems:  # front matter that could not be read is not also missing every field
            site.problems += frontmatter.check_page(meta, where, label, is_claim(src))
        doc = analyse(label, body, offset)
        site.docs[src], site.meta[src] = doc, meta
        site.problems += doc.problems
        first_h1 = next((h.title for h in doc.headings if h.level == 1), "")
        site.titles[src] = str(meta.get("title") or first_h1 or src)
        for group in doc.groups:
            for cite in group.cites:
                if cite.key not in library.entries:
                    hint = library.suggest(cite.key)
                    extra = f" (did you mean '{hint}'?)" if hint else ""
                    site.problems.append(Problem(label, cite.line, cite.col, f"unknown citation key '{cite.key}'{extra}"))
        if is_claim(src):
            site.problems += _finding_key_problems(meta.get("findings"), where, label, library, doc)
        if isinstance(meta.get("searches"), list):
            for key, search, line, col in frontmatter.search_keys(meta["searches"], where):
                if key not in library.entries:
                    hint = library.suggest(key)
                    extra = f" (did you mean '{hint}'?)" if hint else ""
                    site.problems.append(Problem(label, line, col or None, f"front matter: search '{search}' includes "
                                                 f"unknown citation key '{key}'{extra}"))
                elif key not in site.cited_keys(src):
                    site.problems.append(Problem(label, line, col or None, f"front matter: search '{search}' includes "
                                                 f"'{key}', which the page does not cite (cite it, or move it to 'excluded')"))
    cited = site.backlinks()
    for entry in library.entries.values():
        if entry.key not in cited and not entry.background:
            site.problems.append(
                Problem(bib_label, entry.line, None, f"entry '{entry.key}' is cited on no page (cite it, or mark it 'background = {{true}}')", warning=True)
            )
    site.problems = sorted(set(site.problems))
    return site


def _finding_key_problems(rows, where, label: str, library: Library, doc: Document) -> list[Problem]:
    """A summary-of-findings row may cite only studies in the bibliography that the page's text cites too."""
    cited = {c.key for g in doc.groups for c in g.cites}
    problems = []
    for key, row, line, col in findings.finding_keys(rows, where):
        if key not in library.entries:
            hint = library.suggest(key)
            extra = f" (did you mean '{hint}'?)" if hint else ""
            problems.append(Problem(label, line, col or None, f"front matter: findings row {row} cites unknown citation key '{key}'{extra}"))
        elif key not in cited:
            problems.append(Problem(label, line, col or None, f"front matter: findings row {row} cites '{key}', which the page's "
                                    "text does not cite; cite it where the page weighs that study"))
    return problems


def study_pages(site: Site, source_href, render=study_page, **options) -> dict:
    """Path → each study's page, from `render` (by default `render.study_page`, given `options`)."""
    backlinks = site.backlinks()
    return {study_path(key): render(entry, backlinks.get(key, []), source_href(entry.line), **options)
            for key, entry in site.library.entries.items()}


def index_page(site: Site, store=lambda html_text: html_text, data_links: str = "") -> str:
    """The Markdown of the study index, with the exports and each claim's reference downloads; `store` as for
    `render.cite_citations`, `data_links` as for `render.render_index`."""
    claims = sorted((src for src in site.docs if is_claim(src)), key=lambda src: (site.meta[src].get("claim_number", 0), src))
    downloads = [(site.titles[src], *claim_files(src)[1:]) for src in claims]
    cited = {k: len({b.src for b in v}) for k, v in site.backlinks().items()}
    return render_index(site.library, cited, store, EXPORTS, downloads, data_links)


def generated_pages(site: Site, source_href) -> dict[str, str]:
    """Path → Markdown of every generated page, as `citepages build` writes them: one per study, and the index."""
    return {**study_pages(site, source_href, render_study), INDEX_PATH: index_page(site)}


def read_docs(docs_dir: Path) -> dict[str, bytes]:
    """The Markdown pages under a docs folder, as bytes (`analyse_site` reports what is not UTF-8), by path relative to it."""
    return {p.relative_to(docs_dir).as_posix(): p.read_bytes() for p in sorted(docs_dir.rglob("*.md"))}


def hand_files(docs_dir: Path) -> list[str]:
    """Every file under a docs folder, by path relative to it."""
    return [p.relative_to(docs_dir).as_posix() for p in sorted(docs_dir.rglob("*")) if p.is_file()]
