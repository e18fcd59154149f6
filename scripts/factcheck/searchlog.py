"""The "How we searched" section of a page, rendered from the logged searches in its front matter.

The section is a Markdown heading (so that it is in the table of contents) and one block of HTML:
a collapsed <details> holding one element per search, with the id `search-<id>` that the page's
statements of absence link to. The block is handed to the generator finished, as citations are (a log of
two hundred searches is a lot of HTML for Markdown's parsers to read again); the MkDocs hook tells MkDocs
the ids of the page's finished HTML, so a link to a search that does not exist still fails the strict build.
"""

from __future__ import annotations

import re

from citepages.bib import Library
from citepages.citations import find_headings, mask_code
from citepages.render import attr, cite_label, esc, long_date

HEADING = "How we searched"
ANCHOR = "how-we-searched"
AIM_LABELS = {"question": "The claim's own question", "contrary": "Looking for contrary evidence",
              "supporting": "Looking for evidence that backs the claim"}
BY_LABELS = {"second-review": "A second reviewer, searching from scratch"}
# Where the section goes: before the first of these second-level headings the page has, else at its end.
BEFORE = ("Evidence against", "References")


def anchor(search_id: str) -> str:
    return f"search-{search_id}"


def _included(keys: list[str], library: Library, href_for) -> str:
    if not keys:
        return "None"
    return ", ".join(f'<a href="{attr(href_for(key))}">{esc(cite_label(library.entries[key]))}</a>' for key in keys)


def render_reviews(reviews: list[dict], searches: list[dict]) -> str:
    """One paragraph per recorded review: its date, what it changed, and links to the searches it ran."""
    number = {s["id"]: n for n, s in enumerate(searches, start=1)}
    out = []
    for review in reviews:
        links = ", ".join(f'<a href="#{attr(anchor(i))}">{number[i]}</a>' for i in review["searches"] if i in number)
        out.append(f'<p class="search-log__review"><strong>Second review, {long_date(review["date"])}</strong> '
                   f'(searches {links}): {esc(review["changed"])}</p>')
    return "\n".join(out)


def render_searches(searches: list[dict], library: Library, href_for, reviews: list[dict] = (), store=str) -> str:
    """The section as Markdown with one block of HTML; `href_for(key)` is the address of a study's page."""
    contrary = sum(1 for s in searches if s["aim"] == "contrary")
    items = []
    for number, search in enumerate(searches, start=1):
        facts = [
            ("Date", long_date(search["date"])),
            ("Searched", esc(search["source"])),
            ("Terms", f"<code>{esc(search['terms'])}</code>"),
            ("Aim", AIM_LABELS[search["aim"]]),
            ("Found", esc(search["found"])),
            ("Included", _included(search["included"], library, href_for)),
            ("Left out", esc(search["excluded"])),
        ]
        if search.get("by"):
            facts.insert(0, ("By", BY_LABELS[search["by"]]))
        rows = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts)
        items.append(
            f'<li class="search-log__search search-log__search--{search["aim"]}" id="{attr(anchor(search["id"]))}">\n'
            f'<p class="search-log__title">Search {number}: {AIM_LABELS[search["aim"]].lower()}</p>\n'
            f"<dl>\n{rows}\n</dl>\n</li>"
        )
    summary = (f"{len(searches)} search{'es' if len(searches) != 1 else ''}, "
               f"{contrary} of them for contrary evidence: terms, dates and what each found")
    # Ended by the blank line a raw HTML block leaves after it in Markdown's output.
    block = (f'<details class="search-log">\n<summary>{summary}</summary>\n'
             f'<ol class="search-log__list">\n' + "\n".join(items) + "\n</ol>\n</details>\n")
    intro = f"{render_reviews(reviews, searches)}\n" if reviews else ""
    return f"## {HEADING} {{ #{ANCHOR} }}\n\n{intro}{store(block)}\n"


def insert_searches(markdown: str, meta: dict, library: Library, href_for, store=str) -> str:
    """The page with its "How we searched" section before Evidence against (else References, else at the end);
    the page unchanged when it logs no searches. The searches are those the front-matter check passed.
    `store` hands the block of HTML to the generator (as for citations), which need not parse it."""
    searches = meta.get("searches") or []
    if not searches:
        return markdown
    section = render_searches(searches, library, href_for, meta.get("reviewed") or [], store)
    headings = {h.title: h.offset for h in find_headings(markdown, ids=False) if h.level == 2}
    at = next((headings[title] for title in BEFORE if title in headings), None)
    if at is None:
        return markdown.rstrip("\n") + "\n\n" + section
    return markdown[:at] + section + "\n" + markdown[at:]


# A statement of absence ("no trial has…", "the only…", "just two…"): the shared rule of CONTRIBUTING.md.
ABSENCE_RE = re.compile(
    r"\b(?:no|none|neither|nor)\b(?:\s+\w+){0,3}?\s+(?:study|studies|trial|trials|evidence|data|review|reviews|paper|papers"
    r"|research|report|reports)\b|\bwe found no\b|\bnone found\b|\bthe only\b|\b(?:just|only) (?:one|two|three|four|five)\b"
    r"|\b(?:has|have) (?:not|never) been\b|\bnot yet been\b|\bno one has\b",
    re.IGNORECASE,
)
_SEARCH_LINK_RE = re.compile(r"\]\(#search-([a-z0-9]+(?:-[a-z0-9]+)*)\)")


def search_links(line: str) -> list[str]:
    """The ids of the searches a line of Markdown links to (`[our search](#search-<id>)`)."""
    return _SEARCH_LINK_RE.findall(line)


def absences(body: str) -> list[tuple[int, str]]:
    """(line number in the body, line) of each statement of absence outside code, comments and code spans."""
    masked = mask_code(body).splitlines()
    return [(i, line) for i, (line, seen) in enumerate(zip(body.splitlines(), masked), start=1) if ABSENCE_RE.search(seen)]
