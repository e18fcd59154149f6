"""The MkDocs side of citepages that is not an event: study pages rendered by citepages straight to HTML
(`StudyPage`), added to the build before the background process has made them (`Later`, `LaterFile`), the reuse of
one rendering of the theme across study pages of one shape (`study_renderer`, called from overrides/study.html), and
for `mkdocs serve` change notices from the kernel and a page listing the problems of a failed rebuild
(`serve_with_notices`).
Only scripts/hooks.py uses it; no other generator needs any of it."""

from __future__ import annotations

import copy
import functools
import html
import logging
import os
import pickle
import posixpath
import shutil
import tempfile
import threading
import traceback
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from . import skeleton
from .background import Background, BackgroundError
from .render import Study

log = logging.getLogger("mkdocs.hooks.citepages")
FULL_RENDER = os.environ.get("CITEPAGES_FULL_RENDER") == "1"  # every study page through main.html (for tests)


@functools.lru_cache(maxsize=4096)  # every study page is in studies/: the same few links from each
def _link_from(src: str, folder: str) -> str:
    """The link to the page `src` from a page file in `folder`, as MkDocs writes it."""
    return get_relative_url(src, f"{folder}/_.md")


class StudyPage(Page):
    """A study page, whose HTML citepages renders itself: MkDocs' Markdown converter has nothing to do on it.

    The page is otherwise like any other: the theme renders it, its "Cited on" anchors are validated,
    and it has one search entry (title, authors, journal, year and summary; see `on_page_context`)."""

    def __init__(self, file: File, config, study: Study | Callable[[], Study], check_in_full: bool = False):
        super().__init__(None, file, config)
        self._study = study  # or the function that gives it, when it is rendered in the background (`Later`)
        self.check_in_full = check_in_full  # through the shared rendering, checked against a full one (the last page)

    @property
    def study(self) -> Study:
        if callable(self._study):
            self._study = self._study()
        return self._study

    def read_source(self, config) -> None:
        self.markdown = ""
        self.meta = front_matter(self.study)

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
                self.links_to_anchors.setdefault(target, {})[anchor] = f"{_link_from(src, posixpath.dirname(self.file.src_uri))}#{anchor}"


def front_matter(study: Study) -> dict:
    """A study page's metadata, as if it had front matter."""
    meta = {"title": html.escape(study.title), "description": html.escape(study.description), "search": {"exclude": True}}
    if not FULL_RENDER:
        meta["template"] = "study.html"  # overrides/study.html: see _study_renderer
    return meta


class LaterFile(File):
    """A generated file whose content the background work delivers (`Later`): the first read of it waits for that."""

    later: Later | None = None

    @property
    def _content(self):
        if self.later is not None:
            self.later.result()
        return self.__dict__.get("_later_content")

    @_content.setter
    def _content(self, value) -> None:
        self.__dict__["_later_content"] = value


_STUDIES = "studies.pickle"  # in a Later's folder: each study page and its template data, one pickle after another
_FILES = "files"  # in a Later's folder: the other generated files, at their paths
Studies = Callable[[], Iterable[tuple[str, Study, dict]]]  # each study page's path, page and template data
Generated = Callable[[], Iterable[tuple[str, str | bytes]]]  # each other generated file's path and content


def _make(folder: Path, studies: Studies, files: Generated) -> tuple[list, list]:
    """The background work of a `Later`: each study page with its template data pickled into one stream, and each other
    generated file written under the folder, as they are made, so that no process holds them all. The paths of both."""
    made: tuple[list, list] = ([], [])
    with open(folder / _STUDIES, "wb") as out:
        for path, study, meta in studies():
            pickle.dump((path, study, meta), out, protocol=pickle.HIGHEST_PROTOCOL)
            made[0].append(path)
    for path, content in files():
        target = folder / _FILES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
        made[1].append(path)
    return made


class Later:
    """The study pages and generated files of one build, made in the background (citepages.background) while MkDocs
    converts the hand-written pages: each study page and generated file is added now, and filled in when first read
    (the study pages come after every hand-written page, so by then the work is usually done).

    The work writes what it makes into a temporary folder as it goes, and the build reads the study pages back from it
    when it needs them; MkDocs copies the other files from there to the site. So neither process holds every file at
    once. `close` removes the folder (when the build ends, or the process does)."""

    def __init__(self, studies: Studies, files: Generated):
        """`studies()` gives each study page's path, page and template data; `files()` every other generated file."""
        self.folder = Path(tempfile.mkdtemp(prefix="citepages-"))
        self.close = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self.work = Background(functools.partial(_make, self.folder, studies, files))
        self.files, self.studies, self.metas = {}, None, {}

    def file(self, config, path: str, **options) -> LaterFile:
        file = self.files[path] = LaterFile.generated(config, path, content="", **options)
        file.later = self
        return file

    def study(self, path: str) -> Callable[[], Study]:
        return lambda: self.result()[path]

    def result(self) -> dict[str, Study]:
        if self.studies is None:
            try:
                made_studies, made_files = self.work.result()
            except BackgroundError as error:
                raise PluginError(f"citepages: the study pages could not be made: {error}") from None
            made = {*made_studies, *made_files}
            if made != self.files.keys():  # what the analysis said a build adds is what the work made
                differ = sorted(made ^ self.files.keys())[:5]
                raise PluginError(f"citepages: the generated files differ from those announced: {differ}")
            studies = {}
            with open(self.folder / _STUDIES, "rb") as stream:
                for _ in made_studies:
                    path, studies[path], self.metas[path] = pickle.load(stream)
            for path, file in self.files.items():
                file.later = None
                if path in studies:
                    file._content = studies[path].html
                else:
                    file._content, file.abs_src_path = None, str(self.folder / _FILES / path)
            self.studies = studies
        return self.studies

    def meta(self, path: str) -> dict:
        """What `citepages.pages.page_meta` gives for the study page at `path`, worked out in the background too."""
        self.result()
        return self.metas[path]

    def cancel(self) -> None:
        self.work.cancel()
        self.close()


def search_entry(location: str, study: Study) -> dict:
    """A study page's one search entry, in the form Material's search plugin writes: its title and text are HTML there."""
    return {"location": location, "title": html.escape(study.title), "text": html.escape(study.search_text)}


def add_search_fields(entries: list[dict], location: str, fields: dict[str, str]) -> None:
    """Add `fields` to the search entry Material's search plugin wrote for the top of the page at `location`."""
    entry = next((e for e in reversed(entries) if e["location"] == location), None)
    if entry is not None:
        entry.update(fields)


def study_renderer():
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
        meta = list(skeleton.leaves(page.meta))
        values = {"head": head, "tail": tail, "canonical": page.canonical_url, "h1_id": h1_id, "h1_title": h1_title,
                  **{path: v for path, v in meta if isinstance(v, str)}}
        values = {name: v for name, v in values.items() if v}  # an empty value is part of the shape
        shape = (tuple(values), tuple(leaf for leaf in meta if not isinstance(leaf[1], str)), tuple(sections), h1, page.url.count("/"))

        def stand_in(names: dict) -> str:
            slot = lambda name, value: names.get(name, value)  # noqa: E731
            other = copy.copy(page)
            other.content = slot("head", head) + h1 + slot("tail", tail)
            other.canonical_url = slot("canonical", page.canonical_url)
            other.toc = StudyPage.table_of_contents([(1, slot("h1_id", h1_id), slot("h1_title", h1_title)), *sections])
            other.meta = skeleton.with_leaves(page.meta, {k: v for k, v in names.items() if isinstance(k, tuple)})
            return template.render({**context.get_all(), "page": other})

        before = len(skeletons.differed)
        output = skeletons.render(shape, values, lambda: template.render(context.get_all()), stand_in,
                                  check=page.check_in_full, measured=("h1_title", ("title",)))
        if len(skeletons.differed) > before:
            log.info(f"citepages: study pages shaped like {page.file.src_uri} are rendered in full (the shared rendering differed)")
        return output

    return render


class ChangeObserver(watchdog.observers.Observer):
    """The kernel's file notices (inotify on Linux), only for changes: a build reads every watched file,
    and MkDocs rebuilds on any event it is given, so opened-and-closed notices would rebuild forever."""

    CHANGES = [watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileMovedEvent,
               watchdog.events.FileDeletedEvent, watchdog.events.FileClosedEvent]

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=self.CHANGES, follow_symlink=follow_symlink)


class _Problems(logging.Handler):
    """The warnings and errors one build logs, as their lines (not those of requests served meanwhile)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage())


def problems_page(lines: list[str]) -> bytes:
    """What `mkdocs serve` answers for every page while the sources do not build: their problems, one a line.
    It asks again every second, so that the page comes back by itself once the sources are fixed."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1">'
            f"<title>The site did not build</title></head><body><h1>The site did not build</h1>"
            f"<p>Fix these problems and save: this page reloads by itself.</p><ul>{items}</ul></body></html>").encode()


def show_failed_builds(server) -> None:
    """Under `mkdocs serve`, a rebuild that fails no longer keeps every request waiting for a site that never comes
    (MkDocs holds each request until a build succeeds): the browser gets a page listing the build's problems
    (`problems_page`) until a rebuild succeeds, and the terminal has them as always."""
    failed: list[str] = []
    build, serve = server.builder, server.get_app()

    def builder() -> None:
        problems = _Problems()
        logging.getLogger("mkdocs").addHandler(problems)
        try:
            build()
        except Exception as error:  # MkDocs' Abort for bad input; anything else is a bug, shown with its traceback
            if not isinstance(error, MkDocsException):
                traceback.print_exc()
            failed[:] = problems.lines or [str(error)]
            log.error(f"citepages: the site was not rebuilt ({error}); each page shows the problems until the sources are fixed")
            return
        finally:
            logging.getLogger("mkdocs").removeHandler(problems)
        failed.clear()

    def app(environ, start_response):
        if failed and environ.get("PATH_INFO", "").endswith(("/", ".html")):
            body = problems_page(failed)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
            return [body]
        return serve(environ, start_response)

    server.builder = builder
    server.set_app(app)


def serve_with_notices(server, config):
    show_failed_builds(server)
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
    server.observer = ChangeObserver()
    for path in moved:
        server.watch(path)
    return server
