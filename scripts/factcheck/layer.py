"""The evidence layer as the engine sees it: the checks, blocks, markers, files and page data it registers
(see citepages.plugins). Each is a short call into the module that knows the subject."""

from __future__ import annotations

import html
import posixpath

from citepages import sharing
from citepages.plugins import Page, Plugins, Settings
from citepages.problems import Problem
from citepages.render import cite_label, page_url

from . import cards, changes, claimreview, claims, essay, figures, findings, frontmatter, glossary, opendata, searchlog
from .claims import claim_files, is_claim, slug

GLOSSARY = "includes/glossary.md"
ANSWER_PAGES = {"risks.md"}  # pages that answer a reader's question, ranked above the study pages behind them
SEARCH_BOOST = 4  # enough to lift a claim above the studies whose text has the same words; a title match still counts for more
SEARCH_FIELD = "essay"  # mkdocs.yml gives this search field its boost (plugins: search: fields)
# Above the study index: every claim as data (links from studies/index.md).
DATA_LINKS = ("Every claim, its verdict and its summary of findings as data: [JSON](../claims.json) · [CSV](../claims.csv) "
              "([JSON Schema](../claims.schema.json)), under CC BY 4.0.")


def is_answer(src: str) -> bool:
    """A page that answers a reader's question: a claim page or one of ANSWER_PAGES."""
    return is_claim(src) or src in ANSWER_PAGES


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


def check_findings(site, sources) -> list[Problem]:
    """A summary-of-findings row may cite only studies in the bibliography that the page's text cites too."""
    problems = []
    for src, where in site.where.items():
        if not is_claim(src):
            continue
        label, cited = site.docs[src].path, set(site.cited_keys(src))
        for key, row, line, col in findings.finding_keys(site.meta[src].get("findings"), where):
            if key not in site.library.entries:
                problems.append(site.unknown_key(label, key, line, col or None, f"front matter: findings row {row} cites unknown citation key"))
            elif key not in cited:
                problems.append(Problem(label, line, col or None, f"front matter: findings row {row} cites '{key}', which the page's "
                                        "text does not cite; cite it where the page weighs that study"))
    return problems


def read_history(site, sources) -> list[Problem]:
    """The pages' history in git, for what changed on each page and the feed (none outside a checkout)."""
    root = getattr(sources, "root", None)
    site.extra["history"] = changes.history(root, site.docs_label) if root is not None else changes.History(site.docs_label)
    return []


def check_glossary(site, sources) -> list[Problem]:
    """The glossary's terms, which the study pages mark up as the abbr extension marks them on every other page."""
    data = sources.get(GLOSSARY)
    site.abbreviations = glossary.parse_glossary(data.decode("utf-8")) if data is not None else []
    return []


# Blocks: what a page shows beyond its own Markdown.


def findings_block(text: str, page: Page) -> str:
    """The summary of findings, which cites its studies in the page's own Markdown, like any paragraph."""
    return findings.insert_findings(text, page.meta) if is_claim(page.src) else text


def what_changed_block(text: str, page: Page) -> str:
    if not is_claim(page.src):
        return text
    site, feed = page.site, posixpath.relpath(changes.FEED_PATH, posixpath.dirname(page.src) or ".")
    history = site.extra["history"]
    return text.rstrip("\n") + "\n\n" + changes.what_changed(_changes(site, page.src), site.settings.get("repo_url", ""),
                                                              f"{history.docs}/{page.src}", feed)


def searches_block(text: str, page: Page) -> str:
    return searchlog.insert_searches(text, page.meta, page.site.library, page.href, page.store)


def verdict_block(text: str, page: Page) -> str:
    if not is_claim(page.src):
        return text
    bottom = claims.bottom_line(page.site.docs[page.src]) if page.src in page.site.docs else ""
    return claims.insert_verdict_box(text, page.meta, page.site.extra["essay"], bottom)


def corrections_block(text: str, page: Page) -> str:
    return changes.insert_after_title(text, changes.correction_notices(page.meta))  # above everything else on the page


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


def _report(site, src: str, title: str) -> str:
    """The page's "Found an error?" links, its address and title filled in."""
    settings = site.settings
    return changes.report_html(str((settings.get("extra") or {}).get("corrections_email") or ""), settings.get("repo_url", ""),
                               settings.get("site_url", "") + page_url(src), title)


def _changes(site, src: str) -> list:
    label = lambda key: cite_label(site.library.entries[key]) if key in site.library.entries else key  # noqa: E731
    return changes.page_changes(site.meta.get(src, {}), site.extra["history"].pages.get(src, []), label, is_claim(src))


def _page_changes(site) -> list:
    """Every page with changes: each claim page, and any other page with second reviews or corrections."""
    site_url = site.settings.get("site_url", "")
    return [changes.PageChanges(src, site.titles.get(src, src), site_url + page_url(src), found)
            for src in sorted(site.meta) if (found := _changes(site, src))]


MARKERS = {
    "changelog": lambda page: claims.changelog(_claims(page.site), page.src),
    "report": lambda page: page.store(_report(page.site, page.src, page.site.titles.get(page.src, ""))),
    "corrections": lambda page: changes.corrections_log(_page_changes(page.site),
                                                        lambda other: posixpath.relpath(other, posixpath.dirname(page.src) or ".")),
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
    """Where a claim's share card and reference downloads go, the claims as open data, and the feed of changes."""
    out = {path: "open data" for path in (opendata.JSON_PATH, opendata.CSV_PATH, opendata.SCHEMA_PATH)}
    out[changes.FEED_PATH] = "feed of changes"
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
    site_url = site.settings.get("site_url", "")
    ordered = sorted(_claims(site).items(), key=lambda item: item[1]["claim_number"])
    records = [opendata.claim_record(meta, site_url + page_url(src), site.cited_keys(src)) for src, meta in ordered]
    out[opendata.JSON_PATH] = opendata.claims_json(opendata.dataset(records, settings.site_name, site_url, opendata.essay_record(site.extra.get("essay"))))
    out[opendata.CSV_PATH] = opendata.claims_csv(records)
    out[opendata.SCHEMA_PATH] = opendata.schema_json(site_url)
    out[changes.FEED_PATH] = changes.atom_feed(_page_changes(site), site_url, settings.site_name)
    return out


def claim_fields(values: dict, page: Page) -> None:
    """A claim page's share card and ClaimReview."""
    if is_claim(page.src):
        settings, share = page.settings, values["share"]
        share["image"] = html.escape(f"{settings.site_url}assets/cards/{slug(page.src)}.jpg", quote=True)
        review = claimreview.claim_jsonld(page.meta, page.url, settings.site_name, settings.site_url, page.site.extra["essay"])
        share["jsonld"] = [sharing.jsonld_script_body(block) for block in review]


def report_field(values: dict, page: Page) -> None:
    """The page's "Found an error?" links, at the foot of every page."""
    values["report"] = _report(page.site, page.src, page.title)


def safety_field(values: dict, page: Page) -> None:
    """Whether the safety line opens the page: an answer page, where a reader may be deciding about treatment."""
    values["safety_first"] = is_answer(page.src)


def essay_search_field(site, src: str) -> dict[str, str]:
    """On a claim page, the essay's own words that it checks (`claims.essay_words`), as HTML text like the theme's other fields."""
    if not is_claim(src) or src not in site.docs:
        return {}
    return {SEARCH_FIELD: html.escape(claims.essay_words(site.meta[src], site.docs[src]), quote=False)}


def index_links(site) -> tuple[list, str]:
    """Each claim's reference downloads, in the essay's order, and the claims as data, from the study index."""
    ordered = sorted((src for src in site.docs if is_claim(src)), key=lambda src: (site.meta[src].get("claim_number", 0), src))
    return [(site.titles[src], *claim_files(src)[1:]) for src in ordered], DATA_LINKS


def search_rank(values: dict, page: Page) -> None:
    """The search rank of the pages that answer a reader's question (Material's search plugin reads `search: boost`);
    set in the build, not in each page's front matter, so that every claim page has it."""
    if is_answer(page.src):
        values["search"] = {**(page.meta.get("search") or {}), "boost": SEARCH_BOOST}


def claim_list(site) -> dict:
    """Every claim's address, title and verdict, in the essay's order (the 404 page lists them)."""
    ordered = sorted(_claims(site).items(), key=lambda item: item[1].get("claim_number", 0))
    return {"claims": [{"url": f"{src.removesuffix('.md')}/", "title": meta["title"], "verdict": meta["verdict"]} for src, meta in ordered]}


def extend(plugins: Plugins) -> None:
    checks = (check_essay, read_history, check_front_matter, check_findings, check_glossary)
    for priority, check in zip(range(len(checks) * 10, 0, -10), checks):
        plugins.checks.register(check, check.__name__, priority)
    plugins.checks.register(lambda site, sources: figures.check_fields(site.library), "figure-fields", 5)
    # Around the engine's citations (100) and References list (50), in the order a claim page shows them.
    blocks = ((110, findings_block), (60, what_changed_block), (40, searches_block), (30, verdict_block), (25, corrections_block),
              (20, downloads_block), (10, cite_this_page_block))
    for priority, block in blocks:
        plugins.blocks.register(block, block.__name__, priority)
    for name, marker in MARKERS.items():
        plugins.markers.register(marker, name, 10)
    plugins.files.register(claim_outputs, "claims", 10)
    plugins.paths.register(claim_paths, "claims", 10)
    for priority, fields in ((40, report_field), (30, claim_fields), (20, search_rank), (10, safety_field)):
        plugins.fields.register(fields, fields.__name__, priority)
    plugins.extra.register(claim_list, "claims", 10)
    plugins.index.register(index_links, "claims", 10)
    plugins.search.register(essay_search_field, "essay", 10)
