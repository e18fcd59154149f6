"""The essay whose claims the site checks (essay.yml): read and validated, and shown as a citation,
a note on reprints whose wording differs, and the `appearance` of each ClaimReview.

Which studies came out after the essay is decided here too, from each entry's year, month and day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from citepages.bib import Entry
from citepages.pagemeta import locate, positions
from citepages.problems import Problem
from citepages.render import attr, esc, long_date

PATH = "essay.yml"
MARKER = "<!-- citepages:essay -->"  # the essay as a citation: author, linked title, outlet, date
WORDING_MARKER = "<!-- citepages:essay-wording -->"  # where copies on other sites are worded differently
FIELDS = {"author": str, "title": str, "outlet": str, "date": dt.date, "url": str, "reprints": list}
REPRINT_FIELDS = {"url": str, "date": dt.date, "ours": str, "theirs": str}


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


def _error(value, expected) -> str | None:
    if expected is dt.date:
        return None if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else "must be a date (YYYY-MM-DD)"
    if expected is str:
        return None if isinstance(value, str) and value.strip() else "must be non-empty text"
    return None if isinstance(value, expected) else f"must be a {expected.__name__}"


def _url_error(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(c in value for c in " \"'<>\\`"):
        return f"must be an https address (found {value!r})"
    return None


def _check_mapping(data, schema: dict, optional: set, path: tuple, report) -> bool:
    """Report missing, unknown and mistyped fields of one mapping; True when it can be used."""
    if not isinstance(data, dict):
        report(path, f"must be a mapping of: {', '.join(schema)}")
        return False
    good = True
    for name in data:
        if name not in schema:
            report((*path, name), f"unknown field '{name}'")
            good = False
    missing = [name for name in schema if name not in data and name not in optional]
    if missing:
        report(path, f"missing field{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}")
        good = False
    for name, expected in schema.items():
        if name in data:
            error = _error(data[name], expected) or (_url_error(data[name]) if name == "url" else None)
            if error:
                report((*path, name), f"'{name}' {error}")
                good = False
    return good


def load_essay(data: bytes | str, path: str = PATH) -> tuple[Essay | None, list[Problem]]:
    """The essay, or None and every problem found, each at its line of the file."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem(path, 1 + (mark.line if mark else 0), (mark.column + 1) if mark else None,
                              f"not valid YAML: {getattr(error, 'problem', None) or error}")]
    where = positions(text, 1)
    problems: list[Problem] = []

    def report(at: tuple, message: str) -> None:
        label = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in at).lstrip(".")
        problems.append(Problem(path, locate(where, at, 1), None, f"{label or 'the essay'}: {message}"))

    if not _check_mapping(raw, FIELDS, {"reprints"}, (), report):
        return None, problems
    reprints = []
    for i, item in enumerate(raw.get("reprints") or []):
        if _check_mapping(item, REPRINT_FIELDS, set(), ("reprints", i), report):
            reprints.append(Reprint(**{name: item[name] for name in REPRINT_FIELDS}))
    if problems:
        return None, problems
    return Essay(**{name: raw[name] for name in FIELDS if name != "reprints"}, reprints=tuple(reprints)), []


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
