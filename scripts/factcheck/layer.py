"""The evidence layer as the engine sees it: the checks, blocks, markers, files and page data it registers
(see citepages.plugins). Each is a short call into the module that knows the subject."""

from __future__ import annotations

import html

from citepages import sharing
from citepages.plugins import Page, Plugins, Settings
from citepages.problems import Problem

from . import cards, claimreview, claims, essay, figures, frontmatter, glossary, searchlog
from .claims import claim_files, is_claim, slug

GLOSSARY = "includes/glossary.md"
ANSWER_PAGES = {"risks.md"}  # pages that answer a reader's question, ranked above the study pages behind them
SEARCH_BOOST = 4  # enough to lift a claim above the studies whose text has the same words; a title match still counts for more


# Checks: what the engine's analysis does not know of the sources.


def check_essay(site, sources) -> list[Problem]:
    """The essay the claims come from (essay.yml), and the mark of each study published after it."""
    data = sources.get(essay.PATH)
    if data is None:
        wanted = any(is_claim(src) or essay.MARKER in doc.text or essay.WORDING_MARKER in doc.text for src, doc in site.docs.items())
        return [Problem(essay.PATH, 1, None, "no such file: the claim pages need the essay they check "
                        "(author, title, outlet, date, url)")] if wanted else []
    site.extra["essay"], problems = essay.load_essay(data, essay.PATH)
    if site.extra["essay"] is not None:
        for entry in site.library.entries.values():
            entry.notice = essay.notice(entry, site.extra["essay"])
    return problems


def check_front_matter(site, sources) -> list[Problem]:
    """Each page's front matter against its schema, and the keys its logged searches include."""
    problems = []
    for src, where in site.where.items():
        label, meta = site.docs[src].path, site.meta[src]
        problems += frontmatter.check_page(meta, where, label, is_claim(src))
        if isinstance(meta.get("searches"), list):
            cited = set(site.cited_keys(src))
            for key, search, line, col in frontmatter.search_keys(meta["searches"], where):
                if key not in site.library.entries:
                    problems.append(site.unknown_key(label, key, line, col or None, f"front matter: search '{search}' includes unknown citation key"))
                elif key not in cited:
                    problems.append(Problem(label, line, col or None, f"front matter: search '{search}' includes "
                                            f"'{key}', which the page does not cite (cite it, or move it to 'excluded')"))
    return problems


def check_glossary(site, sources) -> list[Problem]:
    """The glossary's terms, which the study pages mark up as the abbr extension marks them on every other page."""
    data = sources.get(GLOSSARY)
    site.abbreviations = glossary.parse_glossary(data.decode("utf-8")) if data is not None else []
    return []


# Blocks: what a page shows beyond its own Markdown.


def searches_block(text: str, page: Page) -> str:
    return searchlog.insert_searches(text, page.meta, page.site.library, page.href, page.store)


def verdict_block(text: str, page: Page) -> str:
    return claims.insert_verdict_box(text, page.meta, page.site.extra["essay"]) if is_claim(page.src) else text


def downloads_block(text: str, page: Page) -> str:
    if not (is_claim(page.src) and page.keys):
        return text
    name = slug(page.src)
    return text + (f"\nDownload these references: [BibTeX](../downloads/{name}.bib) · [RIS](../downloads/{name}.ris)"
                   " (for Zotero, EndNote, Mendeley and other reference managers).\n")


def cite_this_page_block(text: str, page: Page) -> str:
    if not is_claim(page.src):
        return text
    return text.rstrip("\n") + "\n\n" + claims.cite_this_page(page.meta, slug(page.src), page.url, page.settings.site_name)


# Markers: what a page asks for where it stands.


def _claims(site) -> dict[str, dict]:
    return {src: meta for src, meta in site.meta.items() if is_claim(src)}


def _cited(site, src: str) -> list:
    return [site.library.entries[key] for key in site.cited_keys(src)]


MARKERS = {
    "changelog": lambda page: claims.changelog(_claims(page.site), page.src),
    "claims": lambda page: claims.claims_table(_claims(page.site), page.src, page.site.docs),
    "evidence-map": lambda page: page.store(figures.evidence_map(_claims(page.site), {src: _cited(page.site, src) for src in _claims(page.site)}, page.src)),
    "timeline": lambda page: page.store(figures.timeline(list(page.site.library.entries.values()), page.src)),
    "duration": lambda page: page.store(figures.duration_strip(_cited(page.site, page.src), page.src)),
    "habenula-diagram": lambda page: page.store(figures.habenula_diagram()),
    "essay": lambda page: page.store(essay.citation_html(page.site.extra["essay"])),
    "essay-wording": lambda page: page.store(essay.wording_html(page.site.extra["essay"])),
    "glossary": lambda page: glossary.render_glossary(page.site.abbreviations),
}


# Files, page data and the config's extra.


def claim_paths(site) -> dict[str, str]:
    """Where a claim's share card and reference downloads go."""
    out = {}
    for src in _claims(site):
        card, bib, ris = claim_files(src)
        out.update({card: "share card", bib: "reference download", ris: "reference download"})
    return out


def claim_outputs(site, settings: Settings) -> dict[str, bytes | str]:
    """A share card per claim, and each claim's references as BibTeX and RIS."""
    out: dict[str, bytes | str] = {}
    for src, meta in _claims(site).items():
        card, bib, ris = claim_files(src)
        entries = _cited(site, src)
        out[card] = cards.render_card(meta["title"], meta["verdict"], meta["certainty"], settings.site_name)
        out[bib] = sharing.bibtex(entries)
        out[ris] = sharing.ris(entries)
    return out


def claim_fields(values: dict, page: Page) -> None:
    """A claim page's share card and ClaimReview."""
    if is_claim(page.src):
        settings, share = page.settings, values["share"]
        share["image"] = html.escape(f"{settings.site_url}assets/cards/{slug(page.src)}.jpg", quote=True)
        review = claimreview.claim_jsonld(page.meta, page.url, settings.site_name, settings.site_url, page.site.extra["essay"])
        share["jsonld"] = [sharing.jsonld_script_body(block) for block in review]


def search_rank(values: dict, page: Page) -> None:
    """The search rank of the pages that answer a reader's question (Material's search plugin reads `search: boost`);
    set in the build, not in each page's front matter, so that every claim page has it."""
    if is_claim(page.src) or page.src in ANSWER_PAGES:
        values["search"] = {**(page.meta.get("search") or {}), "boost": SEARCH_BOOST}


def claim_list(site) -> dict:
    """Every claim's address, title and verdict, in the essay's order (the 404 page lists them)."""
    ordered = sorted(_claims(site).items(), key=lambda item: item[1].get("claim_number", 0))
    return {"claims": [{"url": f"{src.removesuffix('.md')}/", "title": meta["title"], "verdict": meta["verdict"]} for src, meta in ordered]}


def extend(plugins: Plugins) -> None:
    for priority, check in ((30, check_essay), (20, check_front_matter), (10, check_glossary)):
        plugins.checks.register(check, check.__name__, priority)
    plugins.checks.register(lambda site, sources: figures.check_fields(site.library), "figure-fields", 5)
    for priority, block in ((40, searches_block), (30, verdict_block), (20, downloads_block), (10, cite_this_page_block)):
        plugins.blocks.register(block, block.__name__, priority)
    for name, marker in MARKERS.items():
        plugins.markers.register(marker, name, 10)
    plugins.files.register(claim_outputs, "claims", 10)
    plugins.paths.register(claim_paths, "claims", 10)
    plugins.fields.register(claim_fields, "claims", 20)
    plugins.fields.register(search_rank, "search-rank", 10)
    plugins.extra.register(claim_list, "claims", 10)
