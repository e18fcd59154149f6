"""Verdict and certainty badges, the verdict box of a claim page, and the table of all claims."""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from .citations import slugify
from .frontmatter import CERTAINTIES
from .render import esc

GRADE_SYMBOLS = {"High": "⊕⊕⊕⊕", "Moderate": "⊕⊕⊕◯", "Low": "⊕⊕◯◯", "Very low": "⊕◯◯◯"}
CLAIMS_MARKER = "<!-- citepages:claims -->"


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def verdict_badge(verdict: str) -> str:
    return f'<span class="verdict verdict--{slugify(verdict)}">{esc(verdict)}</span>'


def certainty_badge(certainty: str) -> str:
    level = CERTAINTIES.index(certainty)
    return (
        f'<span class="certainty certainty--{slugify(certainty)}" data-level="{4 - level}">'
        f'<span class="certainty__symbols" aria-hidden="true">{GRADE_SYMBOLS[certainty]}</span> {esc(certainty)}</span>'
    )


def verdict_box(meta: dict) -> str:
    """Markdown (inside an md_in_html block) so that its link is checked and rewritten by the site generator."""
    return (
        '<div class="verdict-box" markdown>\n\n'
        f'**Claim:** {esc(meta["claim"])}\n\n'
        f'**Verdict:** {verdict_badge(meta["verdict"])} <span class="verdict-box__date">as of {long_date(meta["verdict_as_of"])}</span>\n\n'
        f'**Certainty of the evidence:** {certainty_badge(meta["certainty"])} '
        "([what the verdicts and certainty levels mean](../about/methodology.md#verdicts))\n\n"
        f'<span class="verdict-box__dates">Last reviewed {long_date(meta["last_reviewed"])} · '
        f'next review due {long_date(meta["next_review"])}</span>\n\n'
        "</div>\n"
    )


def insert_verdict_box(markdown: str, meta: dict) -> str:
    """The page with its verdict box after the first-level heading (or at the top)."""
    match = re.search(r"^# .*\n", markdown, re.MULTILINE)
    at = match.end() if match else 0
    return markdown[:at] + "\n" + verdict_box(meta) + "\n" + markdown[at:]


def claims_table(claims: dict[str, dict], from_src: str) -> str:
    """Every claim with its verdict and certainty, in the essay's order, as a Markdown table."""
    rows = ["| # | Claim | Verdict | Certainty |", "|---|---|---|---|"]
    for src, meta in sorted(claims.items(), key=lambda item: item[1]["claim_number"]):
        href = posixpath.relpath(src, posixpath.dirname(from_src) or ".")
        rows.append(
            f'| {meta["claim_number"]} | [{esc(meta["title"])}]({href}) '
            f'| {verdict_badge(meta["verdict"])} | {certainty_badge(meta["certainty"])} |'
        )
    return "\n".join(rows) + "\n"
