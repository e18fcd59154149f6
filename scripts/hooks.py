"""MkDocs adapter for citepages: each event calls into the plain-Python core; `StudyPage` and `_study_renderer`
hand the study pages, rendered by citepages, to MkDocs and to the theme."""

from __future__ import annotations

import copy
import html
import logging
import os
import subprocess
from pathlib import Path

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from citepages import cards, claims, figures, glossary, render, sharing, skeleton
from citepages.citations import analyse
from citepages.render import Study
from citepages.site import INDEX_PATH, Site, analyse_site, index_page, is_claim, study_pages
from citepages.site import search_meta

log = logging.getLogger("mkdocs.hooks.citepages")
BIB = "references.bib"
GLOSSARY = "includes/glossary.md"
_site: Site | None = None
_updated: dict[str, str] = {}
_stashes: dict[str, list[tuple[str, str]]] = {}  # each page's rendered citations and lists, between Markdown and HTML
_tokens: dict[str, str] = {}  # each page's HTML with the stash's tokens, until the search plugin has read the page
FULL_RENDER = os.environ.get("CITEPAGES_FULL_RENDER") == "1"  # every study page through main.html (for tests)


def _git_dates(root: Path) -> dict[str, str]:
    """Each file's date of last change, from one `git log` (none outside a git checkout)."""
    try:
        log = subprocess.run(["git", "log", "--format=@%cs", "--name-only"], cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates, current = {}, ""
    for line in log.splitlines():
        if line.startswith("@"):
            current = line[1:]
        elif line:
            dates.setdefault(line, current)
    return dates


class StudyPage(Page):
    """A study page, whose HTML citepages renders itself: MkDocs' Markdown converter has nothing to do on it.

    The page is otherwise like any other: the theme renders it, its "Cited on" anchors are validated,
    and it has one search entry (title, authors, journal, year and summary; see `on_page_context`)."""

    def __init__(self, file: File, config, study: Study):
        super().__init__(None, file, config)
        self.study = study

    def read_source(self, config) -> None:
        self.markdown = ""
        self.meta = {"title": html.escape(self.study.title), "description": html.escape(self.study.description),
                     "search": {"exclude": True}}
        if not FULL_RENDER:
            self.meta["template"] = "study.html"  # overrides/study.html: see _study_renderer

    @staticmethod
    def table_of_contents(headings):
        """The page's <h1> and, under it, its <h2>s."""
        (level, anchor, title), *sections = headings
        child = lambda lvl, a, t: {"level": lvl, "id": a, "name": t, "children": []}  # noqa: E731
        return get_toc([{**child(level, anchor, title), "children": [child(*s) for s in sections]}])

    def render(self, config, files) -> None:
        self.toc = self.table_of_contents(self.study.headings)
        self.content = self.study.html
        self._title_from_render = self.study.headings[0][2]
        self.present_anchor_ids = {h[1] for h in self.study.headings}
        self.links_to_anchors = {}
        for src, anchor in self.study.links:
            target = files.get_file_from_path(src)
            if anchor and target is not None:
                self.links_to_anchors.setdefault(target, {})[anchor] = f"{get_relative_url(src, self.file.src_uri)}#{anchor}"


def _from_bib(config, path: str, content: str, inclusion: InclusionLevel) -> File:
    """A page generated from the bibliography: its Edit button opens references.bib (relative to edit_uri's docs/)."""
    file = File.generated(config, path, content=content, inclusion=inclusion)
    file.edit_uri = f"../{BIB}"
    return file


def on_files(files, config):
    global _site
    root = Path(config.config_file_path).parent
    pages = {f.src_uri: f.content_string for f in files.documentation_pages() if f.generated_by is None}
    docs_label = Path(config.docs_dir).relative_to(root).as_posix()
    _site = analyse_site((root / BIB).read_bytes(), pages, BIB, docs_label)
    for problem in _site.problems:
        (log.warning if problem.warning else log.error)(str(problem))
    if _site.errors:
        raise PluginError(f"citepages: {len(_site.errors)} problem(s) in the sources; nothing was built")
    # The 404 page lists every claim; it is rendered by the theme, outside any page.
    config.extra["claims"] = [
        {"url": f"{src.removesuffix('.md')}/", "title": meta["title"], "verdict": meta["verdict"]}
        for src, meta in sorted(_site.meta.items(), key=lambda item: item[1].get("claim_number", 0))
        if is_claim(src)
    ]
    repo = (config.repo_url or "").rstrip("/")
    abbreviate = glossary.abbreviator(glossary.parse_glossary((root / GLOSSARY).read_text(encoding="utf-8")))
    permalink = (config.mdx_configs.get("toc") or {}).get("permalink_title", "Permanent link")
    studies = study_pages(_site, lambda line: f"{repo}/blob/main/{BIB}#L{line}", abbreviate=abbreviate, permalink=permalink)
    _stashes.clear()
    _tokens.clear()
    _stashes[INDEX_PATH] = []
    files.append(_from_bib(config, INDEX_PATH, index_page(_site, _stashes[INDEX_PATH]), InclusionLevel.UNDEFINED))
    for path, study in studies.items():
        files.append(file := _from_bib(config, path, study.html, InclusionLevel.NOT_IN_NAV))
        StudyPage(file, config, study)
    _updated.clear()
    _updated.update(_git_dates(root))
    for src, meta in _site.meta.items():
        if is_claim(src):
            card = cards.render_card(meta["title"], meta["verdict"], meta["certainty"], config.site_name)
            files.append(File.generated(config, f"assets/cards/{_slug(src)}.jpg", content=card))
    # Exports: the whole bibliography, as BibTeX and CSL-JSON, and each claim's references as BibTeX and RIS.
    files.append(File.generated(config, BIB, content=(root / BIB).read_bytes()))
    files.append(File.generated(config, "references.json", content=sharing.csl_json(_site.library)))
    for src, doc in _site.docs.items():
        if is_claim(src):
            entries = [_site.library.entries[k] for k in _site.cited_keys(src)]
            slug = _slug(src)
            files.append(File.generated(config, f"downloads/{slug}.bib", content=sharing.bibtex(entries)))
            files.append(File.generated(config, f"downloads/{slug}.ris", content=sharing.ris(entries)))
    return files


FIGURES = {
    "<!-- citepages:evidence-map -->": lambda site, src: figures.evidence_map(
        {s: m for s, m in site.meta.items() if is_claim(s)},
        {s: [site.library.entries[k] for k in site.cited_keys(s)] for s in site.docs if is_claim(s)},
        src,
    ),
    "<!-- citepages:timeline -->": lambda site, src: figures.timeline(list(site.library.entries.values()), src),
    "<!-- citepages:duration -->": lambda site, src: figures.duration_strip(
        [site.library.entries[k] for k in site.cited_keys(src)], src
    ),
    "<!-- citepages:habenula-diagram -->": lambda site, src: figures.habenula_diagram(),
}


def _figures(text: str, src: str) -> str:
    for marker, draw in FIGURES.items():
        if marker in text:
            text = text.replace(marker, draw(_site, src))
    return text


def _slug(src: str) -> str:
    return src.removeprefix("claims/").removesuffix(".md")


def _share(page, config, keys: list[str]) -> None:
    """Link-preview fields, JSON-LD and citation tags for the page template (overrides/main.html)."""
    meta = page.meta
    site_url = config.site_url or ""
    url = page.canonical_url or site_url
    description = meta.get("description") or config.site_description
    title = html.unescape(meta.get("title") or page.title or config.site_name)
    share = sharing.share_fields(title if page.file.generated_by else str(title), html.unescape(description), url,
                                 f"{site_url}assets/" + (f"cards/{_slug(page.file.src_uri)}.jpg" if is_claim(page.file.src_uri) else "preview.png"))
    blocks = []
    if is_claim(page.file.src_uri):
        blocks = sharing.claim_jsonld(_site.meta[page.file.src_uri], url, config.site_name, site_url)
    elif page.file.src_uri.startswith("studies/") and page.file.src_uri != INDEX_PATH:
        key = page.file.src_uri.removeprefix("studies/").removesuffix(".md")
        blocks = [sharing.study_jsonld(_site.library.entries[key], url)]
    share["jsonld"] = [sharing.jsonld_script_body(b) for b in blocks]
    share["citation_refs"] = [sharing.citation_reference(_site.library.entries[k]) for k in keys]
    meta["share"] = share
    meta["description"] = share["description"]
    docs_prefix = Path(config.docs_dir).relative_to(Path(config.config_file_path).parent).as_posix()
    meta["updated"] = _updated.get(BIB if page.file.generated_by else f"{docs_prefix}/{page.file.src_uri}", "")
    meta["print_footer"] = sharing.print_footer(url, meta.get("last_reviewed"), meta["updated"])


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if _site is None:
        return markdown
    if page.file.generated_by is not None:
        _share(page, config, [])
        return markdown
    page.meta = search_meta(src, page.meta)
    doc = analyse(src, markdown)
    href_for = lambda key: get_relative_url(f"studies/{key}/", page.url)  # noqa: E731
    _stashes[src] = stash = []
    text, keys = render.render_page(markdown, doc.groups, _site.library, href_for, stash)
    _share(page, config, keys)
    meta = _site.meta.get(src, {})
    if is_claim(src):
        text = claims.insert_verdict_box(text, meta)
        slug = _slug(src)
        if keys:
            text += (f"\nDownload these references: [BibTeX](../downloads/{slug}.bib) · [RIS](../downloads/{slug}.ris)"
                     " (for Zotero, EndNote, Mendeley and other reference managers).\n")
    if is_claim(src):
        text = text.rstrip("\n") + "\n\n" + claims.cite_this_page(meta, slug, page.canonical_url or "", config.site_name)
    all_claims = {s: m for s, m in _site.meta.items() if is_claim(s)}
    if claims.CHANGELOG_MARKER in text:
        text = text.replace(claims.CHANGELOG_MARKER, claims.changelog(all_claims, src))
    if claims.CLAIMS_MARKER in text:
        text = text.replace(claims.CLAIMS_MARKER, claims.claims_table(all_claims, src, _site.docs))
    text = _figures(text, src)
    if glossary.GLOSSARY_MARKER in text:
        terms = glossary.parse_glossary((Path(config.config_file_path).parent / GLOSSARY).read_text(encoding="utf-8"))
        text = text.replace(glossary.GLOSSARY_MARKER, glossary.render_glossary(terms))
    return text


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context, page, config, nav):
    # A study page's one search entry, in the form Material's search plugin writes (the plugin skips the page).
    search = config.plugins.get("material/search")
    if isinstance(page, StudyPage) and search is not None:
        search.search_index.entries.append({"location": page.url, "title": page.study.title, "text": page.study.search_text})
    src = page.file.src_uri
    if src in _tokens:
        page.content = render.unstash(_tokens.pop(src), _stashes.pop(src))
    return context


@event_priority(-100)  # after every other plugin
def on_page_content(html, page, config, files):
    # Until the search plugin has indexed it (on_page_context), the page holds only what search reads of each
    # stashed piece: the text of each citation, without its preview, and nothing of the References list.
    # The index then holds each sentence as a reader sees it, without the previews' text, and the plugin parses far less HTML.
    stash = _stashes.get(page.file.src_uri)
    if not stash:
        return html
    _tokens[page.file.src_uri] = html
    return render.unstash(html, stash, searched=True)


def _study_renderer():
    """The function overrides/study.html calls: main.html's rendering of a study page, reused across pages of one
    shape (citepages.skeleton). A page's values are its content, canonical address, title in the table of contents
    and the strings of its front matter; its shape is everything else the template sees of it.
    `CITEPAGES_FULL_RENDER=1` renders every page in full (tests/build/test_site.py compares the two builds)."""
    skeletons = skeleton.Skeletons()

    @jinja2.pass_context
    def render(context) -> str:
        page, template = context["page"], context.environment.get_template("main.html")
        (_, h1_id, h1_title), *sections = page.study.headings
        head, h1, tail = page.content.partition("<h1")  # the theme adds an <h1> to content that has none
        values = {"head": head, "tail": tail, "canonical": page.canonical_url, "h1_id": h1_id, "h1_title": h1_title,
                  **{path: v for path, v in skeleton.leaves(page.meta) if isinstance(v, str)}}
        values = {name: v for name, v in values.items() if v}  # an empty value is part of the shape
        shape = (tuple(values), tuple(leaf for leaf in skeleton.leaves(page.meta) if not isinstance(leaf[1], str)),
                 tuple(sections), h1, page.url.count("/"))

        def stand_in(names: dict) -> str:
            slot = lambda name, value: names.get(name, value)  # noqa: E731
            other = copy.copy(page)
            other.content = slot("head", head) + h1 + slot("tail", tail)
            other.canonical_url = slot("canonical", page.canonical_url)
            other.toc = StudyPage.table_of_contents([(1, slot("h1_id", h1_id), slot("h1_title", h1_title)), *sections])
            other.meta = skeleton.with_leaves(page.meta, {k: v for k, v in names.items() if isinstance(k, tuple)})
            return template.render({**context.get_all(), "page": other})

        before = len(skeletons.differed)
        output = skeletons.render(shape, values, lambda: template.render(context.get_all()), stand_in)
        if len(skeletons.differed) > before:
            log.info(f"citepages: study pages shaped like {page.file.src_uri} are rendered in full (the shared rendering differed)")
        return output

    return render


def on_env(env, config, files):
    # Navigation HTML shared by the pages kept out of the navigation; see overrides/partials/nav.html.
    env.globals["citepages_nav"] = {}
    env.globals["citepages_study"] = _study_renderer()
    # Each build (every `mkdocs serve` reload) makes a new Jinja environment; keep the theme's compiled
    # templates between them (Jinja's per-user temporary directory, checked against each template's source).
    env.bytecode_cache = jinja2.FileSystemBytecodeCache()
    return env


class _ChangeObserver(watchdog.observers.Observer):
    """The kernel's file notices (inotify on Linux), only for changes: a build reads every watched file,
    and MkDocs rebuilds on any event it is given, so opened-and-closed notices would rebuild forever."""

    CHANGES = [watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileMovedEvent,
               watchdog.events.FileDeletedEvent, watchdog.events.FileClosedEvent]

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=self.CHANGES, follow_symlink=follow_symlink)


def on_serve(server, config, builder):
    # MkDocs looks for changes by polling every 0.5 s; the kernel reports them at once. Move what MkDocs
    # has watched so far to a _ChangeObserver; `watch:` paths are added after this event.
    if isinstance(server.observer, watchdog.observers.Observer):  # no kernel notices here: MkDocs already polls
        return server
    moved = []
    for path in (config.docs_dir, config.config_file_path, *config.theme.dirs):
        try:
            server.unwatch(path)
        except KeyError:  # not watched (theme folders are only with --watch-theme)
            continue
        moved.append(path)
    server.observer = _ChangeObserver()
    for path in moved:
        server.watch(path)
    return server
