"""Verdict and certainty badges, the verdict box of a claim page, and the list of all claims (a table and cards)."""

from __future__ import annotations

import posixpath
import re

from citepages.citations import Document, slugify
from citepages.render import attr, esc, link_base, long_date, page_url

from .essay import Essay, citation_html
from .frontmatter import CERTAINTIES, VERDICTS

GRADE_SYMBOLS = {"High": "⊕⊕⊕⊕", "Moderate": "⊕⊕⊕◯", "Low": "⊕⊕◯◯", "Very low": "⊕◯◯◯"}


def is_claim(src: str) -> bool:
    return src.startswith("claims/") and src != "claims/index.md"


def slug(src: str) -> str:
    return src.removeprefix("claims/").removesuffix(".md")


def claim_files(src: str) -> tuple[str, str, str]:
    """The share card and the two reference downloads a build makes for the claim page `src`."""
    return f"assets/cards/{slug(src)}.jpg", f"downloads/{slug(src)}.bib", f"downloads/{slug(src)}.ris"


def verdict_badge(verdict: str) -> str:
    return f'<span class="verdict verdict--{slugify(verdict)}">{esc(verdict)}</span>'


def certainty_badge(certainty: str) -> str:
    level = CERTAINTIES.index(certainty)
    return (
        f'<span class="certainty certainty--{slugify(certainty)}" data-level="{4 - level}">'
        f'<span class="certainty__symbols" aria-hidden="true">{GRADE_SYMBOLS[certainty]}</span> {esc(certainty)}</span>'
    )


def verdict_box(meta: dict, essay: Essay, bottom_line: str = "") -> str:
    """Markdown (inside an md_in_html block) so that its link is checked and rewritten by the site generator.
    The answer comes first, for a phone's first screen: the verdict with its plain meaning, then `bottom_line` (the first
    sentence of the page's "Bottom line"); the claim's full wording, its source and the certainty follow."""
    meaning = meta.get("verdict_meaning")
    return (
        '<div class="verdict-box" markdown>\n\n'
        f'**Verdict:** {verdict_badge(meta["verdict"])}'
        + (f' <span class="verdict-box__meaning">{esc(meaning)}</span>' if meaning else "") + "\n\n"
        + (f'<span class="verdict-box__bottom-line">**Bottom line:** {esc(bottom_line)}</span>\n\n' if bottom_line else "")
        + f'**Claim:** {esc(meta["claim"])}\n\n'
        f'<span class="verdict-box__source">**Source:** {citation_html(essay)}</span>\n\n'
        f'**Certainty of the evidence:** {certainty_badge(meta["certainty"])} '
        "([what the verdicts and certainty levels mean](../about/methodology.md#verdicts))\n\n"
        f'<span class="verdict-box__dates">Verdict as of {long_date(meta["verdict_as_of"])} · '
        f'last reviewed {long_date(meta["last_reviewed"])} · next review due {long_date(meta["next_review"])}</span>\n\n'
        "</div>\n"
    )


def insert_verdict_box(markdown: str, meta: dict, essay: Essay, bottom_line: str = "") -> str:
    """The page with its verdict box after the first-level heading (or at the top)."""
    match = re.search(r"^# .*\n", markdown, re.MULTILINE)
    at = match.end() if match else 0
    return markdown[:at] + "\n" + verdict_box(meta, essay, bottom_line) + "\n" + markdown[at:]


_CITATION_RE = re.compile(r"\s*\[[^\[\]]*@[^\[\]]*\]")
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")


def _section(doc: Document, title: str) -> str:
    """The text of a page's second-level section `title` up to the next heading ("" when there is none)."""
    heading = next((h for h in doc.headings if h.level == 2 and h.title == title), None)
    if heading is None:
        return ""
    lines = doc.text[heading.offset :].splitlines()[1:]
    end = next((i for i, line in enumerate(lines) if line.startswith("#")), len(lines))
    return "\n".join(lines[:end])


def bottom_line(doc: Document) -> str:
    """The first line (one sentence, by the house style) of a page's "Bottom line" section, as plain text:
    its citations dropped and its links reduced to their words, because it is shown on other pages."""
    first = next((line.strip() for line in _section(doc, "Bottom line").splitlines() if line.strip()), "")
    first = _LINK_RE.sub(r"\1", _CITATION_RE.sub("", first))
    return first.replace("**", "").replace("`", "")


_QUOTED_RE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')


def essay_words(meta: dict, doc: Document) -> str:
    """The essay's own words that a claim page checks, as plain text for search: its `quote`, its `claim`, and each
    phrase quoted in its "The claim" section, so that a reader who pastes a phrase of the essay finds the page."""
    phrases = [meta.get("quote"), meta.get("claim"), *(a or b for a, b in _QUOTED_RE.findall(_section(doc, "The claim")))]
    return " ".join(dict.fromkeys(p.strip() for p in phrases if isinstance(p, str) and p.strip()))


def claims_table(claims: dict[str, dict], from_src: str, docs: dict[str, Document]) -> str:
    """Every claim in the essay's order, twice: a Markdown table (verdict and certainty), and a card per claim that adds
    the first line of its bottom line. The stylesheet shows the cards on a phone and the table elsewhere, never both."""
    ordered = sorted(claims.items(), key=lambda item: item[1]["claim_number"])
    rows = ["| # | Claim | Verdict | Certainty |", "|---|---|---|---|"]
    cards = []
    base = link_base(from_src)
    for src, meta in ordered:
        href = posixpath.relpath(src, posixpath.dirname(from_src) or ".")
        rows.append(
            f'| {meta["claim_number"]} | [{esc(meta["title"])}]({href}) '
            f'| {verdict_badge(meta["verdict"])} | {certainty_badge(meta["certainty"])} |'
        )
        # Raw HTML is not rewritten by the site generator: the card links to the page's directory address.
        url = posixpath.relpath(page_url(src), base or ".") + "/"
        line = bottom_line(docs[src]) if src in docs else ""
        cards.append(
            f'<li class="claim-card"><a class="claim-card__title" href="{attr(url)}">'
            f'<span class="claim-card__number">{esc(str(meta["claim_number"]))}.</span> {esc(meta["title"])}</a>'
            f'<span class="claim-card__rating">{verdict_badge(meta["verdict"])} {certainty_badge(meta["certainty"])}</span> '
            + (f'<span class="claim-card__line">{esc(line)}</span>' if line else "")
            + "</li>"
        )
    return (
        '<div class="claims-table" markdown>\n\n' + "\n".join(rows) + "\n\n</div>\n\n"
        '<ol class="claim-cards" aria-label="Every claim with its verdict">\n' + "\n".join(cards) + "\n</ol>\n"
    )


SITE_AUTHOR = "Ketamine Evidence contributors"


def cite_this_page(meta: dict, slug: str, url: str, site_name: str) -> str:
    """A formatted citation and a BibTeX entry for a claim page, dated by its last review."""
    reviewed = meta["last_reviewed"]
    text = f"{SITE_AUTHOR}. {meta['title']} {site_name}. Last reviewed {long_date(reviewed)}. {url}"
    bibtex = "\n".join([
        f"@misc{{ketamineevidence-{slug},",
        f"  author = {{{{{SITE_AUTHOR}}}}},",
        f"  title = {{{meta['title']}}},",
        f"  howpublished = {{{site_name}}},",
        f"  year = {{{reviewed.year}}},",
        f"  note = {{Last reviewed {reviewed.isoformat()}; verdict: {meta['verdict']}}},",
        f"  url = {{{url}}},",
        "}",
    ])
    return f'## Cite this page\n\n<p class="cite-as">{esc(text)}</p>\n\n```bibtex\n{bibtex}\n```\n'


def changelog(claims: dict[str, dict], from_src: str) -> str:
    """Every change of verdict or certainty, newest first, then when each current verdict was given: from front matter only."""
    rows = []
    for src, meta in claims.items():
        href = posixpath.relpath(src, posixpath.dirname(from_src) or ".")
        link = f"[{esc(meta['title'])}]({href})"
        for change in meta.get("verdict_history") or []:
            badge = verdict_badge if change["from"] in VERDICTS else certainty_badge
            rows.append((change["date"], link, f"{badge(change['from'])} → {badge(change['to'])}", esc(change["why"])))
        rows.append((meta["verdict_as_of"], link, f"Current verdict: {verdict_badge(meta['verdict'])}", "Reviewed against the evidence."))
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    table = ["| Date | Claim | Verdict | Why |", "|---|---|---|---|"]
    table += [f"| {d.isoformat()} | {link} | {change} | {why} |" for d, link, change, why in rows]
    changes = sum(len(m.get("verdict_history") or []) for m in claims.values())
    intro = f"{changes} change{'s' if changes != 1 else ''} of verdict or certainty recorded so far.\n\n"
    # The wrapper lets the stylesheet give a phone one block per change instead of a table wider than the screen.
    return intro + '<div class="changelog" markdown>\n\n' + "\n".join(table) + "\n\n</div>\n"
