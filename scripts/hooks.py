"""MkDocs adapter for citepages: each event is one call into the plain-Python core."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from citepages import claims, glossary, render
from citepages.citations import analyse
from citepages.site import INDEX_PATH, Site, analyse_site, generated_pages, is_claim

log = logging.getLogger("mkdocs.hooks.citepages")
BIB = "references.bib"
GLOSSARY = "includes/glossary.md"
_site: Site | None = None


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
    return files


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if _site is None or page.file.generated_by is not None:
        return markdown
    doc = analyse(src, markdown)
    href_for = lambda key: get_relative_url(f"studies/{key}/", page.url)  # noqa: E731
    text, _ = render.render_page(markdown, doc.groups, _site.library, href_for)
    meta = _site.meta.get(src, {})
    if is_claim(src):
        text = claims.insert_verdict_box(text, meta)
    if claims.CLAIMS_MARKER in text:
        all_claims = {s: m for s, m in _site.meta.items() if is_claim(s)}
        text = text.replace(claims.CLAIMS_MARKER, claims.claims_table(all_claims, src))
    if glossary.GLOSSARY_MARKER in text:
        terms = glossary.parse_glossary((Path(config.config_file_path).parent / GLOSSARY).read_text(encoding="utf-8"))
        text = text.replace(glossary.GLOSSARY_MARKER, glossary.render_glossary(terms))
    return text
