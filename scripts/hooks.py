"""MkDocs adapter for citepages: each event is a call into the plain-Python core (citepages.pages and the
Python-Markdown extension citepages.markdown); study pages and the theme's shared rendering of them are
MkDocs-only and live in citepages.mkdocs_pages."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

log = logging.getLogger("mkdocs.hooks.citepages")
_state: dict = {}  # this build's analysed site, git dates and rendered pages, cleared when the build ends


PACKAGES = ("citepages", "factcheck")  # the citation engine and this site's evidence layer


def _stamp(package) -> dict[str, int]:
    """The modification times of both packages' files, found beside the loaded engine."""
    scripts = Path(package.__file__).parent.parent
    return {str(f): f.stat().st_mtime_ns for name in PACKAGES for f in (scripts / name).glob("*.py")}


def _load_core() -> None:
    """The core's modules, imported again when one of their files has changed since (under `mkdocs serve`,
    which keeps one Python process across rebuilds), so that a rebuild runs the core as it is on disk."""
    package = sys.modules.get("citepages")
    if package is not None and getattr(package, "stamp", None) not in (None, _stamp(package)):
        for name in [n for n in sys.modules if n.partition(".")[0] in PACKAGES]:
            del sys.modules[name]
    global background, mkdocs_pages, pages, problems, render
    from citepages import background, mkdocs_pages, pages, problems, render

    sys.modules["citepages"].stamp = _stamp(sys.modules["citepages"])


_load_core()


def on_pre_build(config):
    # Every check runs here, before MkDocs empties the site folder: a build that fails leaves the last site whole.
    _load_core()
    options = config.mdx_configs.setdefault(pages.EXTENSION, {})
    project = pages.Project.at(Path(config.config_file_path).resolve().parent, Path(config.docs_dir).resolve(), options)
    site = project.load()
    for problem in site.problems:
        (log.warning if problem.warning else log.error)(str(problem))
        problems.annotate(problem)
    # A strict build fails on the warnings too; here, before MkDocs empties the site folder, not after.
    if failed := site.failing(config.strict):
        strict = " (the build is strict: warnings fail it)" if not site.errors else ""
        raise PluginError(f"citepages: {len(failed)} problem(s) in the sources{strict}; nothing was built")
    options["analysis"] = site  # what every page's conversion shares, through the extension's config
    _state.update(site=site, project=project)


def _count_every_warning() -> None:
    """A strict build fails on warnings, but MkDocs counts only the warnings its logger lets through, and `-q`
    sets that logger to errors only: a quiet strict build would pass with warnings. A strict build logs them all."""
    logger = log.parent
    while logger is not None:
        if logger.level > logging.WARNING:
            logger.setLevel(logging.WARNING)
        logger = logger.parent


def _escape_the_log() -> None:
    """Every message of the build, MkDocs' own too (a link it cannot resolve, say), with the control and invisible
    characters of its text written as escapes, as citepages writes its own: nothing a page holds reaches the terminal
    or the log as it is."""

    def escaped(record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.replace("\n", "").isprintable():
            record.msg, record.args = "\n".join(problems.shown(line) for line in message.split("\n")), ()
        return True

    escaped.citepages = True
    logger = log
    while logger is not None:
        for handler in logger.handlers:
            if not any(getattr(f, "citepages", False) for f in handler.filters):
                handler.addFilter(escaped)
        logger = logger.parent


def on_config(config):
    _escape_the_log()
    if config.strict:
        _count_every_warning()
    # Paths in the config are the project's, whichever folder MkDocs was started from.
    root = Path(config.config_file_path).resolve().parent
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [str(root / p) for p in (snippets.get("base_path") or ["."])]
    return config


def on_files(files, config):
    site, project = _state["site"], _state["project"]
    _state.update(dates=pages.git_dates(project.root), docs=project.docs_label(), bib=project.bib_label, content={})
    config.extra.update(pages.extra(site))  # the plug-ins' additions (the 404 page lists every claim)
    permalink = (config.mdx_configs.get("toc") or {}).get("permalink_title", "Permanent link")
    source, bib = pages.bib_source(project.bib_label, config.repo_url), project.bibliography.read_bytes()
    updated = _state["dates"].get(project.bib_label, "")

    def studies():  # each study page, and its data for the template (as `on_page_markdown` gives a hand-written page's)
        for path, study in pages.study_pages(site, source, permalink=permalink):
            yield path, study, pages.page_meta(site, path, mkdocs_pages.front_matter(study), config, updated)

    # The study pages and the generated files, made on a second core while MkDocs converts the hand-written pages.
    generated = lambda: pages.generated_files(site, bib, project.bib_label, pages.settings(config), studies=False)  # noqa: E731
    later = _state["later"] = mkdocs_pages.Later(studies, generated)
    edit_uri = f"../{project.bib_label}"  # a study page's Edit button opens the .bib file (edit_uri is docs/)
    for number, path in enumerate(site.studies, start=1):
        files.append(file := later.file(config, path, inclusion=InclusionLevel.NOT_IN_NAV))
        file.edit_uri = edit_uri
        mkdocs_pages.StudyPage(file, config, later.study(path), check_in_full=number == len(site.studies))
    for path in [p for p in site.generated_paths() if p not in site.studies]:
        files.append(file := later.file(config, path))
        if path == pages.INDEX_PATH:
            file.edit_uri = edit_uri
    return files


def on_page_markdown(markdown_text, page, config, files):
    src = page.file.src_uri
    if isinstance(page, mkdocs_pages.StudyPage):
        page.meta.update(_state["later"].meta(src))
        return markdown_text
    source = _state["bib"] if page.file.generated_by else f"{_state['docs']}/{src}"
    page.meta.update(pages.page_meta(_state["site"], src, page.meta, config, _state["dates"].get(source, "")))
    return markdown_text


@event_priority(-100)  # after every other plugin: until search has indexed it, a page holds only what search reads
def on_page_content(html, page, config, files):
    if isinstance(page, mkdocs_pages.StudyPage):  # its ids are known, and search skips it
        return html
    # MkDocs finds a page's ids in its Markdown and raw HTML, not in the finished HTML extensions hand it (the
    # search log): every id the page has counts when links to its anchors are checked.
    if page.present_anchor_ids is not None:
        page.present_anchor_ids.update(render.element_ids(html))
    _state["content"][page.file.src_uri] = html
    return render.searched_html(html)


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context, page, config, nav):
    page.content = _state["content"].pop(page.file.src_uri, page.content)
    # A study page's one search entry, in the form Material's search plugin writes (the plugin skips the page).
    search = config.plugins.get("material/search")
    if isinstance(page, mkdocs_pages.StudyPage) and search is not None:
        search.search_index.entries.append(mkdocs_pages.search_entry(page.url, page.study))
    elif search is not None and (fields := pages.search_fields(_state["site"], page.file.src_uri)):
        mkdocs_pages.add_search_fields(search.search_index.entries, page.url, fields)
    return context


def on_env(env, config, files):
    # Navigation HTML shared by the pages kept out of the navigation; see overrides/partials/nav.html.
    env.globals["citepages_nav"] = {}
    env.globals["citepages_study"] = mkdocs_pages.study_renderer()
    # Each build (every `mkdocs serve` reload) makes a new Jinja environment; keep the theme's compiled
    # templates between them (Jinja's per-user temporary directory, checked against each template's source).
    env.bytecode_cache = jinja2.FileSystemBytecodeCache()
    return env


def on_post_build(config):
    if "later" in _state:
        _state["later"].close()  # its files are in the site now
    _state.clear()  # nothing of this build is left for the next


def on_serve(server, config, builder):
    return mkdocs_pages.serve_with_notices(server, config)


def on_build_error(error):
    if "later" in _state:
        _state["later"].cancel()
    _state.clear()
