"""What a site generator needs from citepages, as calls that know nothing of any generator.

`Project` finds a checkout's sources from its config (the bibliography and plug-ins named in the options of
`citepages.markdown`) and analyses them. `page_markdown` turns one hand-written page's Markdown into the Markdown
the generator converts: its citations rendered and its References list, then whatever the plug-ins' blocks and
markers add (citepages.plugins). `generated_files` gives every file a build adds: study pages and their index,
the exports, and the plug-ins' files. The MkDocs hook (scripts/hooks.py), the Python-Markdown extension
(citepages.markdown) and `citepages build` all call these.
"""

from __future__ import annotations

import dataclasses
import html
import json
import posixpath
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import sharing
from .citations import analyse, split_front_matter
from .config import read_config
from .config import extension_options as options_of
from .plugins import Page, Plugins, Settings, fill_markers
from .render import LINKS_FROM_FILE, abbreviator, cite_citations, link_base, page_url, render_references, render_study
from .site import EXPORTS, INDEX_PATH, Site, analyse_site, hand_files, index_page, read_docs, study_index, study_pages, study_path  # noqa: F401 (for the adapters)
from .snippets import missing_snippets

CONFIG = "mkdocs.yml"
EXTENSION = "citepages.markdown"


def extension_options(config: dict) -> dict:
    """The options of `citepages.markdown` in a config's `markdown_extensions` ({} when it is listed without any)."""
    return options_of(config, EXTENSION) or {}


class Sources(dict):
    """The project's files by path from its folder, as the plug-ins' checks read them (`get(path)`: their bytes or
    None), and the folder itself (`root`: None for files given as a dict, in tests)."""

    def __init__(self, root: Path | None = None, files: dict[str, bytes] | None = None):
        super().__init__(files or {})
        self.root = root

    def get(self, path: str, default=None) -> bytes | None:
        if path in self or self.root is None:
            return super().get(path, default)
        target = self.root / path
        return target.read_bytes() if target.is_file() else default


@dataclass
class Project:
    """Where a checkout keeps its sources: its folder, its pages, its bibliography, and the plug-ins it names."""

    root: Path
    docs: Path
    bibliography: Path
    plugins: tuple[str, ...] = ()

    @classmethod
    def find(cls, start: Path | None = None, config: Path | None = None) -> Project:
        """The project whose config is `config`, or the nearest mkdocs.yml at or above `start` (default: here)."""
        if config is None:
            here = (start or Path.cwd()).resolve()
            config = next((d / CONFIG for d in (here, *here.parents) if (d / CONFIG).is_file()), here / CONFIG)
        root = config.resolve().parent
        data = read_config(config)
        return cls.at(root, root / data.get("docs_dir", "docs"), extension_options(data))

    @classmethod
    def at(cls, root: Path, docs: Path, options: dict) -> Project:
        """The project in `root` with its pages in `docs`, as the extension's `options` describe it."""
        return cls(root, docs, root / options.get("bibliography", "references.bib"), tuple(options.get("plugins") or ()))

    @property
    def bib_label(self) -> str:
        """The bibliography's path as problems and links name it: from the project's folder."""
        return self.bibliography.relative_to(self.root).as_posix() if self.bibliography.is_relative_to(self.root) else str(self.bibliography)

    def settings(self) -> dict:
        """The config file's settings ({} when there is none)."""
        path = self.root / CONFIG
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}

    def docs_label(self) -> str:
        return self.docs.relative_to(self.root).as_posix()

    def load(self) -> Site:
        """The analysed site: the bibliography, every file of docs/, and the plug-ins' checks."""
        return self.check(analyse_site(self.bibliography.read_bytes(), read_docs(self.docs), self.bib_label, self.docs_label(),
                                       Plugins(self.plugins), Sources(self.root), hand_files(self.docs)))

    def config(self) -> dict:
        return read_config(self.root / CONFIG)

    def check(self, site: Site) -> Site:
        """The site with what only the config tells: its addresses and `extra` (`site.settings`), and the problems of
        snippets (pymdownx.snippets) that cannot be read."""
        config = self.config()
        site.settings = {**{name: str(config.get(name) or "") for name in ("site_url", "repo_url", "site_name")},
                         "extra": config.get("extra") or {}}
        options = options_of(config, "pymdownx.snippets")
        if options is not None:
            site.problems = sorted(set(site.problems) | set(missing_snippets(site.docs.values(), options, self.root, CONFIG)))
        return site


def _groups(site: Site, src: str, body: str, footnotes: bool) -> list:
    """The citations of the body a generator converts, by their places in it: those the analysis found, when the body
    is the analysed page (its leading blank lines taken off) with nothing after it that could cite (a glossary appended,
    say) and notes are read as the analysis read them; else found again."""
    doc = site.docs.get(src)
    if doc is not None and footnotes:
        text = doc.text.lstrip("\n")
        shift = len(doc.text) - len(text)
        if body.startswith(text) and "@" not in body[len(text):]:
            return [dataclasses.replace(g, start=g.start - shift, end=g.end - shift) for g in doc.groups]
    return analyse(src, body, ids=False, footnotes=footnotes).groups  # their sections' ids are the generator's to give


def citations_block(text: str, page: Page) -> str:
    """Each citation of the page rendered, through the generator's stash; `page.keys` the keys it cites."""
    known = [g for g in _groups(page.site, page.src, text, page.footnotes) if all(c.key in page.site.library.entries for c in g.cites)]
    text, page.keys = cite_citations(text, known, page.site.library, page.href, page.store)  # the unknown keys are reported problems
    return text


def references_block(text: str, page: Page) -> str:
    """The page's References list, when it cites anything: kept out of search (its heading's attribute)."""
    if not page.keys:
        return text
    return text.rstrip("\n") + "\n\n## References { data-search-exclude }\n\n" + page.store(render_references(page.keys, page.site.library, page.href)) + "\n"


def extend(plugins: Plugins) -> None:
    """The engine's own blocks and markers, registered as a plug-in's are: a plug-in's block goes before the citations
    (priority above 100), between them and the References list (50 to 100), or after it (below 50)."""
    plugins.blocks.register(citations_block, "citations", 100)
    plugins.blocks.register(references_block, "references", 50)
    # Stored with the blank line a raw HTML block leaves after it in Markdown's output.
    plugins.markers.register(lambda page: page.store(study_index(page.site) + "\n"), "study-index", 100)


def page_markdown(site: Site, src: str, body: str, store, *, url: str = "", settings: Settings = Settings(), footnotes: bool = True) -> str:
    """The Markdown a generator converts for the hand-written page `src` (its body, front matter removed): every block
    registered (the engine's citations and References list, and the plug-ins'), then every marker.
    `store(html)` hands finished HTML to the generator and returns what stands for it in the Markdown
    (Python-Markdown's stash placeholder); the HTML comes back wherever the Markdown put it. `footnotes`: whether
    the generator reads `[^1]: text` as a note (else it is a link definition, where no citation can go)."""
    page = Page(site, src, url, settings, store=store, footnotes=footnotes)
    text = body
    for block in site.plugins.blocks:
        text = block(text, page)
    return fill_markers(text, page, site.plugins.markers).rstrip("\n") + "\n\n"  # a stashed block last in the page still ends a paragraph of its own


def bib_source(bib_label: str, repo_url: str = ""):
    """Where a study page's "references.bib, line N" link points, given the line: that line in the repository
    (`repo_url`, on GitHub), or without one the site's own copy of the file."""
    repo = (repo_url or "").rstrip("/")
    if repo:
        return lambda line: f"{repo}/blob/main/{bib_label}#L{line}"
    return lambda line: posixpath.relpath(EXPORTS[0], link_base(study_path("x")).rstrip("/") or ".") + f"#L{line}"


def generated_files(site: Site, bib: bytes, bib_label: str, settings: Settings, studies: bool = True,
                    source_href=None) -> Iterator[tuple[str, str | bytes]]:
    """The path and content of each file a build adds to the hand-written pages: the study index and (with `studies`)
    each study page as Markdown, the plug-ins' files, and the exports of the whole bibliography (as it is, and as CSL-JSON).
    Without `studies` (an adapter that renders the study pages itself), the index's table is left to the extension.
    One plug-in's files at a time: a caller that writes each file away never holds them all."""
    source_href = source_href or bib_source(bib_label)
    yield INDEX_PATH, index_page(site, table=studies)
    if studies:
        backlinks, abbreviate = site.backlinks(), abbreviator(site.abbreviations)
        for path, entry in site.studies.items():
            yield path, render_study(entry, backlinks.get(entry.key, []), source_href(entry.line), abbreviate)
    for files in site.plugins.files:
        yield from files(site, settings).items()
    yield EXPORTS[0], bib
    yield EXPORTS[1], sharing.csl_json(site.library)


def git_dates(root: Path) -> dict[str, str]:
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


def hookless_config(project: Project, extra: dict | None = None) -> str:
    """The project's mkdocs.yml for a generator that runs Python-Markdown extensions but no hooks or plugins
    (Zensical), placed beside a docs/ folder that already holds every generated page, the site built into site/
    beside them: the project's own paths made absolute, the hook and the watch list dropped."""
    config = project.settings()
    for name in ("hooks", "watch"):
        config.pop(name, None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["extra"] = {**(config.get("extra") or {}), **(extra or {})}
    if "custom_dir" in config.get("theme", {}):
        config["theme"]["custom_dir"] = str(project.root / config["theme"]["custom_dir"])
    extensions = []
    for item in config.get("markdown_extensions", []):
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name == EXTENSION:  # the pages it analyses are the project's own, not the staged copies beside the config
            options = {**(options or {}), "config": str(project.root / CONFIG)}
        elif name == "pymdownx.snippets":
            options = {**options, "base_path": [str(project.root / p) for p in options.get("base_path") or ["."]]}
        extensions.append({name: options} if options else name)
    config["markdown_extensions"] = extensions
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def extra(site: Site) -> dict:
    """What the plug-ins add to the config's `extra`, which every template reads."""
    out: dict = {}
    for function in site.plugins.extra:
        out.update(function(site))
    return out


def settings(config: dict) -> Settings:
    return Settings(config.get("site_name") or "", config.get("site_url") or "")


def page_meta(site: Site, src: str, meta: dict, config: dict, updated: str) -> dict:
    """What the page template reads of a page beyond its front matter (`sharing.page_fields`, then the plug-ins' fields).
    The MkDocs hook adds it to each page's metadata; `site_sources` writes it into each page's front matter."""
    title = html.unescape(str(meta.get("title") or site.titles.get(src) or config.get("site_name", "")))
    page = Page(site, src, (config.get("site_url") or "") + page_url(src), settings(config), title=title)
    description = html.unescape(str(meta.get("description") or config.get("site_description") or ""))
    values = sharing.page_fields(page, title, description, updated)
    if not meta.get("title") and src in site.docs and any(h.level == 1 for h in site.docs[src].headings):
        # A page titled by its heading: the heading's own words, escaped, where the theme would take the rendered
        # heading (citations and previews included) and un-escape it into <title> with its `striptags` filter.
        values["title"] = values["share"]["title"]
    for fields in site.plugins.fields:
        fields(values, page)
    return values


def search_fields(site: Site, src: str) -> dict[str, str]:
    """What the search entry of the top of the page `src` holds beyond its title and text: the plug-ins' fields."""
    out: dict[str, str] = {}
    for fields in site.plugins.search:
        out.update(fields(site, src))
    return out


def _with_front_matter(text: str, fields: dict) -> str:
    """The page with `fields` added to its front matter (as JSON, which is YAML), a front matter made if it has none."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}\n" for key, value in fields.items())
    yaml_text, body, _ = split_front_matter(text)
    return f"---\n{yaml_text or ''}{lines}---\n{body}"


def site_sources(project: Project, site: Site, source_href=None) -> dict[str, str | bytes]:
    """Everything a generator without hooks needs to build the whole site, by path: docs/ with the hand-written
    pages and assets and every generated file, each page's template data in its front matter (`page_meta`),
    and the config (`hookless_config`)."""
    config = project.settings()
    files: dict[str, str | bytes] = {p.relative_to(project.docs).as_posix(): p.read_bytes()
                                     for p in sorted(project.docs.rglob("*")) if p.is_file()}
    token = LINKS_FROM_FILE.set(True)  # the generator re-bases links from each file's folder
    try:
        generated = dict(generated_files(site, project.bibliography.read_bytes(), project.bib_label, settings(config), True,
                                         source_href or bib_source(project.bib_label, config.get("repo_url", ""))))
    finally:
        LINKS_FROM_FILE.reset(token)
    dates, docs = git_dates(project.root), project.docs_label()
    for src, content in {**files, **generated}.items():
        if src.endswith(".md"):
            text = content.decode("utf-8") if isinstance(content, bytes) else content
            yaml_text, _, _ = split_front_matter(text)
            meta = (yaml.safe_load(yaml_text) if yaml_text else None) or {}
            updated = dates.get(project.bib_label if src in generated else f"{docs}/{src}", "")
            content = _with_front_matter(text, page_meta(site, src, meta, config, updated))
        files[src] = content
    out: dict[str, str | bytes] = {f"docs/{src}": content for src, content in files.items()}
    out[CONFIG] = hookless_config(project, extra=extra(site))
    return out
