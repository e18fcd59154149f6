"""What a shared link, a reference manager and a printed page see: link-preview fields, JSON-LD, citation tags, exports,
and the footer line of a printout.

Every string returned for a template is already HTML-escaped: MkDocs templates do not escape.
"""

from __future__ import annotations

import datetime as dt
import html
import json

from .bib import STUDY_TYPES, Entry, Library, to_bibtex
from .render import NOT_EXPORTED, cite_label

ESSAY = {"@type": "CreativeWork", "name": "Essay on ketamine therapy", "datePublished": "2021-02-09"}
VERDICT_RATING = {v: i for i, v in enumerate(
    ["Incorrect", "Unsupported", "Misleading", "Imprecise", "Lacks context", "Mostly accurate", "Accurate"], start=1)}


def jsonld_script_body(data: dict) -> str:
    """JSON that cannot end its <script> element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def share_fields(title: str, description: str, url: str, image: str, kind: str = "article") -> dict:
    return {k: html.escape(v, quote=True) for k, v in
            {"title": title, "description": description, "url": url, "image": image, "type": kind}.items()}


def _css_string(text: str) -> str:
    """A CSS string that says `text` and cannot end its rule or its <style> element: anything but plain characters is
    written as a CSS escape."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:/_-~·#?=+")
    return '"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"'


def print_footer(url: str, reviewed, updated: str) -> str:
    """The CSS that prints the page's address and its date of last review (or, without one, of last change) at the foot
    of every printed page, for a reader who takes the printout to their doctor; the stylesheet numbers the pages."""
    if isinstance(reviewed, dt.date):
        when = f"Last reviewed {reviewed.day} {reviewed:%B %Y}"
    else:
        when = f"Last updated {updated}" if updated else ""
    line = f"{url} · {when}" if url and when else url or when
    return f"@page {{ @bottom-left {{ content: {_css_string(line)}; }} }}" if line else ""


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def claim_jsonld(meta: dict, url: str, site_name: str, site_url: str) -> list[dict]:
    publisher = {"@type": "Organization", "name": site_name, "url": site_url}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": meta["claim"],
        "datePublished": _iso(meta["verdict_as_of"]),
        "author": publisher,
        "itemReviewed": {"@type": "Claim", "appearance": ESSAY, "firstAppearance": ESSAY},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": VERDICT_RATING[meta["verdict"]],
            "bestRating": len(VERDICT_RATING),
            "worstRating": 1,
            "alternateName": meta["verdict"],
        },
    }
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": meta["title"],
        "description": meta["description"],
        "lastReviewed": _iso(meta["last_reviewed"]),
        "publisher": publisher,
    }
    return [review, page]


def study_jsonld(entry: Entry, url: str) -> dict:
    """The page is about the study; it never claims to be the study."""
    article = {
        "@type": "ScholarlyArticle",
        "name": entry.title,
        "headline": entry.title[:110],
        "author": [{"@type": "Organization" if a.literal else "Person", "name": f"{a.first} {a.last}".strip()}
                   for a in entry.authors if a.last != "others"],
        "datePublished": entry.year,
    }
    if entry.journal:
        article["isPartOf"] = {"@type": "Periodical", "name": entry.journal}
    if entry.doi:
        article["sameAs"] = f"https://doi.org/{entry.doi}"
    elif entry.url:
        article["sameAs"] = entry.url
    return {"@context": "https://schema.org", "@type": "WebPage", "url": url, "name": cite_label(entry), "about": article}


def citation_reference(entry: Entry) -> str:
    """One Google Scholar citation_reference value (escaped for an attribute)."""
    parts = [f"citation_title={entry.title}"]
    parts += [f"citation_author={a.last}, {a.first}".rstrip(", ") for a in entry.authors if a.last != "others"][:10]
    if entry.get("journal", "journaltitle"):
        parts.append(f"citation_journal_title={entry.journal}")
    for name, field in (("citation_volume", "volume"), ("citation_firstpage", "pages")):
        if entry.get(field):
            parts.append(f"{name}={entry.get(field).split('-')[0]}")
    parts.append(f"citation_publication_date={entry.year}")
    if entry.doi:
        parts.append(f"citation_doi={entry.doi}")
    return html.escape("; ".join(p.replace(";", ",") for p in parts), quote=True)


def csl_json(library: Library) -> str:
    """The whole library as CSL-JSON, the format Zotero, Pandoc and citeproc read."""
    items = []
    for entry in sorted(library.entries.values(), key=lambda e: e.key):
        item = {
            "id": entry.key,
            "type": "article-journal" if entry.type == "article" else "document",
            "title": entry.title,
            "author": [{"literal": a.last} if a.literal else {"family": a.last, "given": a.first}
                       for a in entry.authors if a.last != "others"],
            "issued": {"date-parts": [[int(entry.year)]]} if entry.year.isdigit() else {},
        }
        for csl, names in (("container-title", ("journal", "journaltitle")), ("volume", ("volume",)),
                           ("issue", ("number", "issue")), ("page", ("pages",)), ("publisher", ("publisher",)),
                           ("DOI", ("doi",)), ("PMID", ("pmid",)), ("PMCID", ("pmcid",)), ("URL", ("url",))):
            if entry.get(*names):
                item[csl] = entry.get(*names).replace("--", "-") if csl == "page" else entry.get(*names)
        if entry.studytype:
            item["genre"] = STUDY_TYPES[entry.studytype]
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def ris(entries: list[Entry]) -> str:
    """Entries as RIS, the format every reference manager imports."""
    out = []
    for entry in entries:
        lines = [f"TY  - {'JOUR' if entry.type == 'article' else 'GEN'}", f"ID  - {entry.key}"]
        lines += [f"AU  - {a.last}, {a.first}".rstrip(", ") for a in entry.authors if a.last != "others"]
        lines.append(f"TI  - {entry.title}")
        for tag, names in (("JO", ("journal", "journaltitle")), ("PY", ("year",)), ("VL", ("volume",)),
                           ("IS", ("number", "issue")), ("DO", ("doi",)), ("UR", ("url",)), ("PB", ("publisher",))):
            if entry.get(*names):
                lines.append(f"{tag}  - {entry.get(*names)}")
        if entry.get("pages"):
            first, _, last = entry.get("pages").replace("–", "-").partition("-")
            lines.append(f"SP  - {first.strip('-')}")
            if last:
                lines.append(f"EP  - {last.strip('-')}")
        lines.append("ER  - ")
        out.append("\n".join(line.replace("\n", " ") for line in lines))
    return "\n\n".join(out) + "\n"


def bibtex(entries: list[Entry]) -> str:
    return "\n\n".join(to_bibtex(e, exclude=NOT_EXPORTED) for e in entries) + "\n"
