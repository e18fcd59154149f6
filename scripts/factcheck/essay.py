"""The essay whose claims the site checks (essay.yml): read and validated, and shown as a citation,
a note on reprints whose wording differs, and the `appearance` of each ClaimReview.

Which studies came out after the essay is decided here too, from each entry's year, month and day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from citepages import schema
from citepages.bib import Entry
from citepages.problems import Problem, decode
from citepages.render import attr, esc, long_date

PATH = "essay.yml"
MARKER = "<!-- citepages:essay -->"  # the essay as a citation: author, linked title, outlet, date
WORDING_MARKER = "<!-- citepages:essay-wording -->"  # where copies on other sites are worded differently


@dataclass(frozen=True)
class Https:
    """An https address, with nothing in it that could leave an HTML attribute."""

    def error(self, value) -> str | None:
        if isinstance(value, str):
            parts = urlsplit(value)
            if parts.scheme == "https" and parts.netloc and value.isprintable() and not any(c in value for c in " \"'<>\\`"):
                return None
        return "must be an https address"


REPRINT_FIELDS = {"url": Https(), "date": dt.date, "ours": str, "theirs": str}
FIELDS = {"author": str, "title": str, "outlet": str, "date": dt.date, "url": Https(),
          "reprints": (schema.ListOf(REPRINT_FIELDS), False)}
ITEMS = {"reprints": "reprint"}  # "reprint 1: 'date' must be a date"


@dataclass(frozen=True)
class Reprint:
    url: str
    date: dt.date
    ours: str  # the wording of the text we checked
    theirs: str  # the reprint's wording in the same place


@dataclass(frozen=True)
class Essay:
    author: str
    title: str
    outlet: str
    date: dt.date
    url: str
    reprints: tuple[Reprint, ...] = ()


def load_essay(data: bytes | str, path: str = PATH) -> tuple[Essay | None, list[Problem]]:
    """The essay, or None and every problem found, each at its line of the file."""
    text, problems = decode(data, path)
    parsed = schema.load(text, path)
    if parsed.data is None and not parsed.problems:
        parsed.data = {}  # an empty file: every field is missing
    problems += parsed.problems
    if not parsed.problems:
        for issue in schema.check(parsed.data, FIELDS):
            problems.append(Problem(path, schema.locate(parsed.where, issue.at, 1), None, issue.text(parsed.data, ITEMS)))
    if problems:
        return None, problems
    raw = parsed.data
    reprints = tuple(Reprint(**{name: item[name] for name in REPRINT_FIELDS}) for item in raw.get("reprints") or [])
    return Essay(**{name: raw[name] for name in FIELDS if name != "reprints"}, reprints=reprints), []


def citation_html(essay: Essay) -> str:
    """Author, “Title” (linked), outlet, date: inline HTML for a Markdown paragraph."""
    return (f'{esc(essay.author)}, “<a href="{attr(essay.url)}" rel="noopener">{esc(essay.title)}</a>”, '
            f"<em>{esc(essay.outlet)}</em>, {long_date(essay.date)}")


def wording_html(essay: Essay) -> str:
    """One paragraph per reprint whose wording differs from the text we checked."""
    if not essay.reprints:
        return "<p>We know of no copy of the essay on another site whose wording differs.</p>"
    paragraphs = []
    for reprint in essay.reprints:
        host = urlsplit(reprint.url).netloc.removeprefix("www.")
        paragraphs.append(
            f'<p class="essay-reprint">A <a href="{attr(reprint.url)}" rel="noopener">copy on {esc(host)}</a> '
            f"({long_date(reprint.date)}) is worded differently in one place: where the text we checked has "
            f"“{esc(reprint.ours)}”, the copy has “{esc(reprint.theirs)}”.</p>"
        )
    return "\n".join(paragraphs)


def author_jsonld(essay: Essay) -> dict:
    return {"@type": "Person", "name": essay.author}


def appearance_jsonld(essay: Essay) -> dict:
    """The essay as schema.org's ClaimReview wants `itemReviewed.appearance`: a CreativeWork."""
    return {
        "@type": "CreativeWork",
        "url": essay.url,
        "headline": essay.title,
        "datePublished": essay.date.isoformat(),
        "author": author_jsonld(essay),
        "publisher": {"@type": "Organization", "name": essay.outlet},
    }


def notice(entry: Entry, essay: Essay) -> tuple[str, str] | None:
    """The mark of a study published after the essay, shown wherever the study is (a fact of its page); None for any other."""
    if not after(entry, essay.date):
        return None
    return "Published", f'<span class="after-essay">Published after the essay ({long_date(essay.date)})</span>'


def after(entry: Entry, day: dt.date) -> bool | None:
    """Whether the entry came out after `day`; None when its date is too coarse to tell."""
    published = entry.published
    if published is None:
        return None
    for have, than in zip(published, (day.year, day.month, day.day)):
        if have is None:
            return None
        if have != than:
            return have > than
    return False  # the same day: not after
