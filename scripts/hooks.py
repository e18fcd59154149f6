"""MkDocs adapter for citepages: each event is one call into the plain-Python core."""

from __future__ import annotations

import html
import logging
import subprocess
from pathlib import Path

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from citepages import cards, claims, figures, glossary, render, sharing
from citepages.citations import analyse
from citepages.site import INDEX_PATH, Site, analyse_site, generated_pages, is_claim

log = logging.getLogger("mkdocs.hooks.citepages")
BIB = "references.bib"
GLOSSARY = "includes/glossary.md"
_site: Site | None = None
_updated: dict[str, str] = {}
_stashes: dict[str, list[str]] = {}  # each page's rendered citations, between Markdown and HTML


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
    for path, content in generated_pages(_site, lambda line: f"{repo}/blob/main/{BIB}#L{line}").items():
        inclusion = InclusionLevel.UNDEFINED if path == INDEX_PATH else InclusionLevel.NOT_IN_NAV
        generated = File.generated(config, path, content=content, inclusion=inclusion)
        generated.edit_uri = f"../{BIB}"  # the Edit button opens the bibliography, relative to edit_uri's docs/
        files.append(generated)
    _updated.clear()
    _updated.update(_git_dates(root))
    for src, meta in _site.meta.items():
        if is_claim(src):
            png = cards.render_card(meta["title"], meta["verdict"], meta["certainty"], config.site_name)
            files.append(File.generated(config, f"assets/cards/{_slug(src)}.png", content=png))
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
                                 f"{site_url}assets/{'cards/' + _slug(page.file.src_uri) if is_claim(page.file.src_uri) else 'preview'}.png")
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


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if _site is None:
        return markdown
    if page.file.generated_by is not None:
        _share(page, config, [])
        return markdown
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
        text = text.replace(claims.CLAIMS_MARKER, claims.claims_table(all_claims, src))
    text = _figures(text, src)
    if glossary.GLOSSARY_MARKER in text:
        terms = glossary.parse_glossary((Path(config.config_file_path).parent / GLOSSARY).read_text(encoding="utf-8"))
        text = text.replace(glossary.GLOSSARY_MARKER, glossary.render_glossary(terms))
    return text


def on_page_content(html, page, config, files):
    stash = _stashes.pop(page.file.src_uri, None)
    return render.unstash(html, stash) if stash else html


def on_env(env, config, files):
    # Navigation HTML shared by the pages kept out of the navigation; see overrides/partials/nav.html.
    env.globals["citepages_nav"] = {}
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
