"""What a shared link, a reference manager and a printed page see: link-preview fields, JSON-LD, citation tags, exports,
and the footer line of a printout.

Every string returned for a template is already HTML-escaped: MkDocs templates do not escape.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from json.encoder import encode_basestring

from .bib import STUDY_TYPES, Entry, Library
from .render import cite_label, exported_bibtex

# The licence of everything the site writes (the studies themselves are their publishers').
CONTENT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

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


def study_jsonld(entry: Entry, url: str) -> dict:
    """The page is about the study; it never claims to be the study."""
    work = {
        "@type": SCHEMA_TYPES.get(kind(entry)[0], "CreativeWork"),
        "name": entry.title,
        "headline": entry.title[:110],
        "author": [{"@type": "Organization" if a.literal else "Person", "name": a.first_last()}
                   for a in entry.authors if a.last != "others"],
        "datePublished": entry.iso_date or entry.year,
    }
    if entry.get("journal", "journaltitle", "booktitle"):
        work["isPartOf"] = {"@type": "Periodical" if entry.get("journal", "journaltitle") else "Book", "name": entry.journal}
    elif entry.journal:  # a regulator's or publisher's document
        work["publisher"] = {"@type": "Organization", "name": entry.journal}
    if entry.doi:
        work["sameAs"] = f"https://doi.org/{entry.doi}"
    elif entry.url:
        work["sameAs"] = entry.url
    return {"@context": "https://schema.org", "@type": "WebPage", "url": url, "name": cite_label(entry), "about": work,
            "license": CONTENT_LICENSE}


def citation_reference(entry: Entry) -> str:
    """One Google Scholar citation_reference value (escaped for an attribute)."""
    parts = [f"citation_title={entry.title}"]
    parts += [f"citation_author={a.last_first()}" for a in entry.authors if a.last != "others"][:10]
    if entry.get("journal", "journaltitle"):
        parts.append(f"citation_journal_title={entry.journal}")
    for name, field in (("citation_volume", "volume"), ("citation_firstpage", "pages")):
        if entry.get(field):
            parts.append(f"{name}={entry.get(field).split('-')[0]}")
    parts.append(f"citation_publication_date={entry.iso_date.replace('-', '/') or entry.year}")
    if entry.doi:
        parts.append(f"citation_doi={entry.doi}")
    return html.escape("; ".join(p.replace(";", ",") for p in parts), quote=True)


# (CSL type, RIS type) of each entry type; @misc is decided by what it is (`kind`).
KINDS = {
    "article": ("article-journal", "JOUR"), "book": ("book", "BOOK"), "inbook": ("chapter", "CHAP"),
    "incollection": ("chapter", "CHAP"), "inproceedings": ("paper-conference", "CPAPER"), "online": ("webpage", "ELEC"),
    "report": ("report", "RPRT"), "techreport": ("report", "RPRT"), "phdthesis": ("thesis", "THES"),
    "mastersthesis": ("thesis", "THES"), "thesis": ("thesis", "THES"), "unpublished": ("manuscript", "UNPB"),
}
# The schema.org type of each CSL type, for the JSON-LD of a study page.
SCHEMA_TYPES = {"article-journal": "ScholarlyArticle", "paper-conference": "ScholarlyArticle", "book": "Book", "chapter": "Chapter",
                "report": "Report", "thesis": "Thesis", "webpage": "WebPage", "legislation": "Legislation", "bill": "Legislation"}
_PROPOSED_RULE_RE = re.compile(r"\bproposed rule\b", re.IGNORECASE)
_REGULATION_RE = re.compile(r"\b(?:rule|regulation|statute)\b", re.IGNORECASE)
_RELEASE_RE = re.compile(r"\b(?:news|press) release\b", re.IGNORECASE)


def kind(entry: Entry) -> tuple[str, str]:
    """The entry's CSL type and RIS type. A @misc is what its `howpublished` says it is: a proposed rule
    is a bill, a rule or regulation is legislation (as Zotero's "statute"), a news release is a report;
    anything else with an address is a web page."""
    if entry.type in KINDS:
        return KINDS[entry.type]
    how = entry.get("howpublished")
    if _PROPOSED_RULE_RE.search(how):
        return "bill", "BILL"
    if _REGULATION_RE.search(how):
        return "legislation", "STAT"
    if _RELEASE_RE.search(how):
        return "report", "RPRT"
    return ("webpage", "ELEC") if entry.url else ("document", "GEN")


def _csl_name(name) -> dict:
    if name.literal:
        return {"literal": name.last}
    parts = {"family": name.last, "given": name.first, "non-dropping-particle": name.von, "suffix": name.jr}
    return {k: v for k, v in parts.items() if v}


def indented_json(value, level: int = 0) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)` for JSON made of dicts, lists, strings,
    numbers, booleans and None, several times faster (json's C encoder writes no indented JSON)."""
    inner = "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = (f"{inner}{encode_basestring(key)}: {indented_json(value[key], level + 1)}" for key in sorted(value))
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + indented_json(item, level + 1) for item in value) + "\n" + "  " * level + "]"
    if isinstance(value, str):
        return encode_basestring(value)
    return json.dumps(value)


def csl_json(library: Library) -> str:
    """The whole library as CSL-JSON, the format Zotero, Pandoc and citeproc read."""
    items = []
    for entry in sorted(library.entries.values(), key=lambda e: e.key):
        item = {
            "id": entry.key,
            "type": kind(entry)[0],
            "title": entry.title,
            "author": [_csl_name(a) for a in entry.authors if a.last != "others"],
            "issued": {"date-parts": [entry.date_parts]} if entry.date_parts else {},
        }
        for csl, names in (("container-title", ("journal", "journaltitle")), ("volume", ("volume",)),
                           ("issue", ("number", "issue")), ("page", ("pages",)), ("publisher", ("publisher",)),
                           ("DOI", ("doi",)), ("PMID", ("pmid",)), ("PMCID", ("pmcid",)), ("URL", ("url",))):
            if entry.get(*names):
                item[csl] = entry.get(*names).replace("--", "-") if csl == "page" else entry.get(*names)
        if entry.studytype:
            item["genre"] = STUDY_TYPES[entry.studytype]
        items.append(item)
    return indented_json(items) + "\n"


def ris(entries: list[Entry]) -> str:
    """Entries as RIS, the format every reference manager imports."""
    out = []
    for entry in entries:
        lines = [f"TY  - {kind(entry)[1]}", f"ID  - {entry.key}"]
        lines += [f"AU  - {a.last_first()}" for a in entry.authors if a.last != "others"]
        lines.append(f"TI  - {entry.title}")
        parts = entry.date_parts
        if parts:
            lines.append(f"PY  - {parts[0]}")
        if len(parts) > 1:  # RIS dates are YYYY/MM/DD/, an unknown day left empty
            lines.append("DA  - " + "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])] + [""] * (4 - len(parts))))
        for tag, names in (("JO", ("journal", "journaltitle")), ("VL", ("volume",)), ("IS", ("number", "issue")),
                           ("DO", ("doi",)), ("UR", ("url",)), ("PB", ("publisher",)), ("M3", ("howpublished",))):
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
    return "\n\n".join(exported_bibtex(e) for e in entries) + "\n"


def page_fields(page, title: str, description: str, updated: str) -> dict:
    """Everything the page template shows of a page beyond its content: link-preview fields, JSON-LD, citation tags,
    the date of last change and the footer line of a printout. `page` is a `citepages.plugins.Page`; a generated
    study page's `src` is `render.study_path(key)`."""
    site, src, settings = page.site, page.src, page.settings
    share = share_fields(title, description, page.url, f"{settings.site_url}assets/preview.png")
    blocks, keys = [], []
    if src in site.studies:
        blocks = [study_jsonld(site.studies[src], page.url)]
    if src in site.docs:
        keys = site.cited_keys(src)
    share["jsonld"] = [jsonld_script_body(b) for b in blocks]
    share["citation_refs"] = [citation_reference(site.library.entries[k]) for k in keys if k in site.library.entries]
    return {"share": share, "description": share["description"], "updated": updated,
            "print_footer": print_footer(page.url, page.meta.get("last_reviewed"), updated)}
