"""What a site generator needs from citepages, as two calls that know nothing of any generator.

`page_markdown` turns one hand-written page's Markdown into the Markdown the generator converts: its
citations rendered, its References list, and on claim pages the verdict box, downloads and cite-this-page;
markers replaced by the claims table, the changelog, the figures and the glossary.
`generated_files` returns every file a build adds: study pages and their index, share cards and exports.
The MkDocs hook (scripts/hooks.py), the Python-Markdown extension (citepages.markdown) and `citepages build`
all call these two.
"""

from __future__ import annotations

import html
import json
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from factcheck import cards, changes, claims, essay, figures, findings, glossary, opendata, searchlog

from . import sharing
from .citations import analyse, split_front_matter
from .config import extension_options, read_config
from .render import (LINKS_FROM_FILE, cite_citations, cite_label, esc, link_base, page_url, relative_link, render_references, render_study,
                     study_url)
from .snippets import missing_snippets
from .site import (EXPORTS, INDEX_PATH, Site, analyse_site, claim_files, index_page, hand_files, is_answer, is_claim, read_docs,  # noqa: F401 (for the adapters)
                   search_meta, slug, study_pages, study_path)

BIB = "references.bib"
# Above the study index: every study, and every claim, as data (links from studies/index.md).
DATA_LINKS = ("Every claim, its verdict and its summary of findings as data: [JSON](../claims.json) · [CSV](../claims.csv) "
             "([JSON Schema](../claims.schema.json)), under CC BY 4.0.")
GLOSSARY = "includes/glossary.md"
CONFIG = "mkdocs.yml"


@dataclass
class Project:
    """Where a checkout keeps its sources, found from its config file."""

    root: Path
    docs: Path

    @classmethod
    def find(cls, start: Path | None = None, config: Path | None = None) -> Project:
        """The project whose config is `config`, or the nearest mkdocs.yml at or above `start` (default: here)."""
        if config is None:
            here = (start or Path.cwd()).resolve()
            config = next((d / CONFIG for d in (here, *here.parents) if (d / CONFIG).is_file()), here / CONFIG)
        root = config.resolve().parent
        return cls(root, root / "docs")

    @property
    def bib(self) -> Path:
        return self.root / BIB

    @property
    def essay(self) -> Path:
        return self.root / essay.PATH

    def settings(self) -> dict:
        """The config file's settings ({} when there is none)."""
        path = self.root / CONFIG
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}

    def docs_label(self) -> str:
        return self.docs.relative_to(self.root).as_posix()

    def load(self) -> Site:
        """The analysed site: the bibliography, the essay and every file of docs/, with what a build adds."""
        return self.attach(self.check(analyse_site(self.bib.read_bytes(), read_docs(self.docs), BIB, self.docs_label(),
                                                   self.essay.read_bytes() if self.essay.is_file() else None, files=hand_files(self.docs))))

    def config(self) -> dict:
        return read_config(self.root / CONFIG)

    def check(self, site: Site) -> Site:
        """The site with the problems only the config shows added: snippets (pymdownx.snippets) that cannot be read."""
        options = extension_options(self.config(), "pymdownx.snippets")
        if options is not None:
            site.problems = sorted(set(site.problems) | set(missing_snippets(site.docs.values(), options, self.root, CONFIG)))
        return site

    def attach(self, site: Site) -> Site:
        """The site with what only a build needs: the pages' history in git and the config's addresses."""
        config = self.config()
        site.history = changes.history(self.root, self.docs_label())
        site.settings = {name: str(config.get(name) or "") for name in ("site_url", "repo_url", "site_name")}
        site.settings["corrections_email"] = str((config.get("extra") or {}).get("corrections_email") or "")
        return site

    def glossary(self) -> list:
        path = self.root / GLOSSARY
        return glossary.parse_glossary(path.read_text(encoding="utf-8")) if path.is_file() else []


def _claims(site: Site) -> dict[str, dict]:
    return {s: m for s, m in site.meta.items() if is_claim(s)}


def _figure(site: Site, marker: str, src: str) -> str:
    if marker == "evidence-map":
        return figures.evidence_map(_claims(site), {s: [site.library.entries[k] for k in site.cited_keys(s)] for s in site.docs if is_claim(s)}, src)
    if marker == "timeline":
        return figures.timeline(list(site.library.entries.values()), src)
    if marker == "essay":
        return essay.citation_html(site.essay)
    if marker == "essay-wording":
        return essay.wording_html(site.essay)
    if marker == "duration":
        return figures.duration_strip([site.library.entries[k] for k in site.cited_keys(src)], src)
    return figures.habenula_diagram()


FIGURES = ("evidence-map", "timeline", "duration", "habenula-diagram", "essay", "essay-wording")


def page_markdown(site: Site, src: str, body: str, store, *, canonical_url: str = "", site_name: str = "",
                  terms: list | None = None, footnotes: bool = True) -> str:
    """The Markdown a generator converts for the hand-written page `src` (its body, front matter removed).
    `store(html)` hands finished HTML to the generator and returns what stands for it in the Markdown
    (Python-Markdown's stash placeholder); the HTML comes back wherever the Markdown put it. `footnotes`: whether
    the generator reads `[^1]: text` as a note (else it is a link definition, where no citation can go)."""
    href_for = lambda key: relative_link(study_url(key), src)  # noqa: E731
    meta = site.meta.get(src, {})
    if is_claim(src):  # the summary of findings cites its studies in the page's own Markdown, like any paragraph
        body = findings.insert_findings(body, meta)
    doc = analyse(src, body, ids=False, footnotes=footnotes)  # the citations' places; their sections' ids are the generator's
    known = [g for g in doc.groups if all(c.key in site.library.entries for c in g.cites)]  # the rest are reported problems
    text, keys = cite_citations(body, known, site.library, href_for, store)
    if is_claim(src):
        feed = posixpath.relpath(changes.FEED_PATH, posixpath.dirname(src) or ".")
        text = text.rstrip("\n") + "\n\n" + changes.what_changed(_changes(site, src), site.settings.get("repo_url", ""),
                                                                  f"{site.history.docs}/{src}", feed)
    if keys:
        # The section is kept out of search (its heading's attribute).
        text = text.rstrip("\n") + "\n\n## References { data-search-exclude }\n\n" + store(render_references(keys, site.library, href_for)) + "\n"
    # "How we searched", on claims and topic pages: not stashed, so that the generator sees its ids (links to #search-… are checked).
    text = searchlog.insert_searches(text, meta, site.library, href_for)
    if is_claim(src):
        bottom = claims.bottom_line(site.docs[src]) if src in site.docs else ""
        text = claims.insert_verdict_box(text, meta, site.essay, bottom)
    text = changes.insert_after_title(text, changes.correction_notices(meta))  # above everything else on the page
    if is_claim(src):
        if keys:
            text += (f"\nDownload these references: [BibTeX](../downloads/{slug(src)}.bib) · [RIS](../downloads/{slug(src)}.ris)"
                     " (for Zotero, EndNote, Mendeley and other reference managers).\n")
        text = text.rstrip("\n") + "\n\n" + claims.cite_this_page(meta, slug(src), canonical_url, site_name)
    if claims.CHANGELOG_MARKER in text:
        text = text.replace(claims.CHANGELOG_MARKER, claims.changelog(_claims(site), src))
    if changes.REPORT_MARKER in text:
        text = text.replace(changes.REPORT_MARKER, store(_report(site, src, site.titles.get(src, ""))))
    if changes.CORRECTIONS_MARKER in text:
        text = text.replace(changes.CORRECTIONS_MARKER, changes.corrections_log(
            _page_changes(site), lambda page: posixpath.relpath(page, posixpath.dirname(src) or ".")))
    if claims.CLAIMS_MARKER in text:
        text = text.replace(claims.CLAIMS_MARKER, claims.claims_table(_claims(site), src, site.docs))
    for name in FIGURES:
        if (marker := f"<!-- citepages:{name} -->") in text:
            text = text.replace(marker, store(_figure(site, name, src)))
    if glossary.GLOSSARY_MARKER in text:
        text = text.replace(glossary.GLOSSARY_MARKER, glossary.render_glossary(terms or []))
    return text.rstrip("\n") + "\n\n"  # a stashed block last in the page still ends a paragraph of its own


def _report(site: Site, src: str, title: str) -> str:
    """The page's "Found an error?" links, its address and title filled in."""
    settings = site.settings
    return changes.report_html(settings.get("corrections_email", ""), settings.get("repo_url", ""),
                               settings.get("site_url", "") + page_url(src), title)


def _changes(site: Site, src: str) -> list:
    label = lambda key: cite_label(site.library.entries[key]) if key in site.library.entries else key  # noqa: E731
    return changes.page_changes(site.meta.get(src, {}), site.history.pages.get(src, []), label, is_claim(src))


def _page_changes(site: Site) -> list:
    """Every page with changes: each claim page, and any other page with second reviews or corrections."""
    site_url = site.settings.get("site_url", "")
    return [changes.PageChanges(src, site.titles.get(src, src), site_url + page_url(src), found)
            for src in sorted(site.meta) if (found := _changes(site, src))]


def _records(site: Site) -> list[dict]:
    site_url = site.settings.get("site_url", "")
    ordered = sorted(_claims(site).items(), key=lambda item: item[1]["claim_number"])
    return [opendata.claim_record(meta, site_url + page_url(src), site.cited_keys(src)) for src, meta in ordered]


def claim_list(site: Site) -> list[dict]:
    """Every claim's address, title and verdict, in the essay's order (the 404 page lists them)."""
    return [{"url": f"{src.removesuffix('.md')}/", "title": meta["title"], "verdict": meta["verdict"]}
            for src, meta in sorted(_claims(site).items(), key=lambda item: item[1].get("claim_number", 0))]


def bib_source(repo_url: str = ""):
    """Where a study page's "references.bib, line N" link points, given the line: that line in the repository
    (`repo_url`, on GitHub), or without one the site's own copy of the file."""
    repo = (repo_url or "").rstrip("/")
    if repo:
        return lambda line: f"{repo}/blob/main/{BIB}#L{line}"
    return lambda line: posixpath.relpath(EXPORTS[0], link_base(study_path("x")).rstrip("/") or ".") + f"#L{line}"


def generated_files(site: Site, bib: bytes, site_name: str, studies: bool = True, source_href=bib_source(),
                    abbreviate=None) -> dict[str, str | bytes]:
    """Path → content of every file a build adds to the hand-written pages: the study index and (with
    `studies`) each study page as Markdown, a share card per claim, and the exports (the whole bibliography
    as BibTeX and CSL-JSON; each claim's references as BibTeX and RIS), and the claims as data with their feed of changes.
    `abbreviate` as for `render.study_page`."""
    out: dict[str, str | bytes] = {INDEX_PATH: index_page(site, data_links=DATA_LINKS)}
    if studies:
        backlinks = site.backlinks()
        for key, entry in site.library.entries.items():
            out[study_path(key)] = render_study(entry, backlinks.get(key, []), source_href(entry.line), abbreviate or esc)
    for src, meta in _claims(site).items():
        card, bib_download, ris_download = claim_files(src)
        out[card] = cards.render_card(meta["title"], meta["verdict"], meta["certainty"], site_name)
        entries = [site.library.entries[k] for k in site.cited_keys(src)]
        out[bib_download] = sharing.bibtex(entries)
        out[ris_download] = sharing.ris(entries)
    out[EXPORTS[0]], out[EXPORTS[1]] = bib, sharing.csl_json(site.library)
    site_url = site.settings.get("site_url", "")
    records = _records(site)
    out[opendata.JSON_PATH] = opendata.claims_json(opendata.dataset(records, site_name, site_url, opendata.essay_record(site.essay)))
    out[opendata.CSV_PATH] = opendata.claims_csv(records)
    out[opendata.SCHEMA_PATH] = opendata.schema_json(site_url)
    out[changes.FEED_PATH] = changes.atom_feed(_page_changes(site), site_url, site_name)
    return out


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
        if name == "citepages.markdown":
            options = {**(options or {}), "config": str(project.root / CONFIG), "site_name": config.get("site_name", "")}
        elif name == "pymdownx.snippets":
            options = {**options, "base_path": [str(project.root / p) for p in options.get("base_path") or ["."]]}
        extensions.append({name: options} if options else name)
    config["markdown_extensions"] = extensions
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def page_meta(site: Site, src: str, meta: dict, config: dict, updated: str) -> dict:
    """What the page template reads of a page beyond its front matter (`sharing.page_fields`), its search rank, and
    whether the safety line opens it (`safety_first`: an answer page, where a reader may be deciding about treatment).
    The MkDocs hook adds it to each page's metadata; `site_sources` writes it into each page's front matter."""
    site_url = config.get("site_url") or ""
    title = html.unescape(str(meta.get("title") or site.titles.get(src) or config.get("site_name", "")))
    description = html.unescape(str(meta.get("description") or config.get("site_description") or ""))
    fields = sharing.page_fields(site, src, title=title, description=description, url=site_url + page_url(src), site_url=site_url,
                                 site_name=config.get("site_name", ""), updated=updated)
    if not meta.get("title") and src in site.docs and any(h.level == 1 for h in site.docs[src].headings):
        # A page titled by its heading: the heading's own words, escaped, where the theme would take the rendered
        # heading (citations and previews included) and un-escape it into <title> with its `striptags` filter.
        fields["title"] = fields["share"]["title"]
    fields["report"] = _report(site, src, title)
    return {**fields, **{k: v for k, v in search_meta(src, meta).items() if k == "search"}, "safety_first": is_answer(src)}


SEARCH_FIELD = "essay"  # mkdocs.yml gives this search field its boost (plugins: search: fields)


def search_fields(site: Site, src: str) -> dict[str, str]:
    """What the search entry of the page `src` holds beyond its title and text: on a claim page, the essay's own words
    that it checks (`claims.essay_words`), as HTML text like the theme's other fields."""
    if not is_claim(src) or src not in site.docs:
        return {}
    return {SEARCH_FIELD: html.escape(claims.essay_words(site.meta[src], site.docs[src]), quote=False)}


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
    if not site.settings:
        project.attach(site)
    token = LINKS_FROM_FILE.set(True)  # the generator re-bases links from each file's folder
    try:
        generated = generated_files(site, project.bib.read_bytes(), config.get("site_name", ""), True,
                                    source_href or bib_source(config.get("repo_url", "")), glossary.abbreviator(project.glossary()))
    finally:
        LINKS_FROM_FILE.reset(token)
    dates, docs = git_dates(project.root), project.docs_label()
    for src, content in {**files, **generated}.items():
        if src.endswith(".md"):
            text = content.decode("utf-8") if isinstance(content, bytes) else content
            yaml_text, _, _ = split_front_matter(text)
            meta = (yaml.safe_load(yaml_text) if yaml_text else None) or {}
            updated = dates.get(BIB if src in generated else f"{docs}/{src}", "")
            content = _with_front_matter(text, page_meta(site, src, meta, config, updated))
        files[src] = content
    out: dict[str, str | bytes] = {f"docs/{src}": content for src, content in files.items()}
    out[CONFIG] = hookless_config(project, extra={"claims": claim_list(site)})
    return out
