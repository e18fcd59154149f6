"""Read and validate the YAML front matter of hand-written pages; claim pages have a strict schema."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from citepages.pagemeta import locate, positions
from citepages.problems import Problem

VERDICTS = ["Accurate", "Mostly accurate", "Lacks context", "Imprecise", "Misleading", "Unsupported", "Incorrect"]
CERTAINTIES = ["High", "Moderate", "Low", "Very low"]

# field: (type, required)
CLAIM_SCHEMA: dict[str, tuple[type | list, bool]] = {
    "title": (str, True),
    "description": (str, True),
    "claim": (str, True),
    "quote": (str, True),
    "claim_number": (int, True),
    "verdict": (VERDICTS, True),
    "verdict_as_of": (dt.date, True),
    "certainty": (CERTAINTIES, True),
    "last_reviewed": (dt.date, True),
    "next_review": (dt.date, True),
    "verdict_history": (list, True),
    "searches": (list, False),  # the logged literature searches behind the page (see CONTRIBUTING.md)
    "reviewed": (list, False),  # the page's independent reviews, each naming the searches behind it
}
# A change of verdict, or of certainty: `from` and `to` are both verdicts or both certainty levels.
HISTORY_SCHEMA = {"date": dt.date, "from": VERDICTS + CERTAINTIES, "to": VERDICTS + CERTAINTIES, "why": str}
# The claim's own question; a search on purpose for null, failed or critical work; one on purpose for work that backs the claim.
AIMS = ["question", "contrary", "supporting"]
# One logged search (see CONTRIBUTING.md); every field is required but those in SEARCH_OPTIONAL.
SEARCH_SCHEMA = {"id": str, "date": dt.date, "source": str, "terms": str, "aim": AIMS, "found": str, "included": list,
                 "excluded": str}
REVIEWERS = ["second-review"]  # who ran a search, when not the page's writer
SEARCH_OPTIONAL = {"by": REVIEWERS}
# One independent review of a page: when, the ids of the searches it ran from scratch, and what it changed.
REVIEW_SCHEMA = {"date": dt.date, "searches": list, "changed": str}
SEARCH_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TOPIC_SCHEMA = {"last_reviewed": dt.date, "next_review": dt.date, "searches": list, "reviewed": list}
# Fields MkDocs and Material read on any page.
PAGE_FIELDS = {"title", "description", "hide", "search", "template", "status", "icon", "subtitle", "tags"}
# Fields of ours that a topic page (not a claim) may carry too: its review dates, logged searches and reviews.
TOPIC_FIELDS = {"last_reviewed", "next_review", "searches", "reviewed"}
DESCRIPTION_MAX = 160
QUOTE_MAX_WORDS = 12


def _line_of(yaml_text: str, name: str, first_line: int) -> int:
    match = re.search(rf"^{re.escape(name)}\s*:", yaml_text, re.MULTILINE)
    return first_line + (yaml_text.count("\n", 0, match.start()) if match else 0)


def _type_error(value, expected) -> str | None:
    if isinstance(expected, list):
        return None if value in expected else f"must be one of: {', '.join(expected)}"
    if expected is dt.date:
        return None if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else "must be a date (YYYY-MM-DD)"
    if expected is int:
        return None if isinstance(value, int) and not isinstance(value, bool) and value > 0 else "must be a positive whole number"
    if expected is str:
        return None if isinstance(value, str) and value.strip() else "must be non-empty text"
    return None if isinstance(value, expected) else f"must be a {expected.__name__}"


def check_page(meta: dict, yaml_text: str | None, path: str, is_claim: bool) -> list[Problem]:
    """Problems with a page's front matter: the full schema for claim pages, known fields elsewhere."""
    problems = []

    def report(name: str, message: str) -> None:
        problems.append(Problem(path, _line_of(yaml_text or "", name, 2), None, f"front matter: {message}"))

    allowed = set(CLAIM_SCHEMA) | PAGE_FIELDS if is_claim else PAGE_FIELDS | TOPIC_FIELDS
    for name in meta:
        if name not in allowed:
            report(str(name), f"unknown field '{name}'")
    if isinstance(meta.get("searches"), list):
        problems += check_searches(meta["searches"], positions(yaml_text or "", 2), path)
    if isinstance(meta.get("reviewed"), list):
        problems += check_reviews(meta["reviewed"], meta.get("searches"), positions(yaml_text or "", 2), path)
    if not is_claim:
        for name, expected in TOPIC_SCHEMA.items():
            if name in meta and (error := _type_error(meta[name], expected)) is not None:
                report(name, f"'{name}' {error} (found {meta[name]!r})")
        reviewed, due = meta.get("last_reviewed"), meta.get("next_review")
        if _type_error(reviewed, dt.date) is None and _type_error(due, dt.date) is None and due <= reviewed:
            report("next_review", "'next_review' must be after 'last_reviewed'")
        return problems
    missing = [name for name, (_, required) in CLAIM_SCHEMA.items() if required and name not in meta]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        problems.append(Problem(path, 1, None, f"front matter: missing field{'s' if len(missing) > 1 else ''} {names} (see templates/claim.md)"))
    for name, (expected, required) in CLAIM_SCHEMA.items():
        if name not in meta:
            continue
        if (error := _type_error(meta[name], expected)) is not None:
            report(name, f"'{name}' {error} (found {meta[name]!r})")
    if isinstance(meta.get("description"), str) and len(meta["description"]) > DESCRIPTION_MAX:
        report("description", f"'description' is {len(meta['description'])} characters; at most {DESCRIPTION_MAX}")
    if isinstance(meta.get("quote"), str) and len(meta["quote"].split()) > QUOTE_MAX_WORDS:
        report("quote", f"'quote' is longer than {QUOTE_MAX_WORDS} words: quote the essay in short phrases only")
    dates = [meta.get(n) for n in ("verdict_as_of", "last_reviewed", "next_review")]
    if all(isinstance(d, dt.date) for d in dates):
        if dates[0] > dates[1]:
            report("verdict_as_of", "'verdict_as_of' is after 'last_reviewed'")
        if dates[2] <= dates[1]:
            report("next_review", "'next_review' must be after 'last_reviewed'")
    for i, change in enumerate(meta.get("verdict_history") or []):
        if not isinstance(change, dict) or set(change) != set(HISTORY_SCHEMA):
            report("verdict_history", f"verdict_history item {i + 1} needs exactly: {', '.join(HISTORY_SCHEMA)}")
            continue
        errors = [(name, error) for name, expected in HISTORY_SCHEMA.items() if (error := _type_error(change[name], expected))]
        for name, error in errors:
            report("verdict_history", f"verdict_history item {i + 1}: '{name}' {error}")
        if not errors and (change["from"] in VERDICTS) != (change["to"] in VERDICTS):
            report("verdict_history", f"verdict_history item {i + 1}: 'from' and 'to' must both be verdicts or both certainty levels")
    return problems


def check_searches(searches: list, where: dict[tuple, tuple[int, int]], path: str) -> list[Problem]:
    """Problems with the logged searches of a page, each at its line (`where` is from `positions`)."""
    problems = []
    seen: dict[str, int] = {}

    def report(at: tuple, message: str) -> None:
        problems.append(Problem(path, locate(where, ("searches", *at), 2), None, f"front matter: {message}"))

    for i, item in enumerate(searches):
        name = f"search {i + 1}" + (f" ('{item['id']}')" if isinstance(item, dict) and isinstance(item.get("id"), str) else "")
        if not isinstance(item, dict):
            report((i,), f"{name} must be a mapping of: {', '.join(SEARCH_SCHEMA)}")
            continue
        missing = [field for field in SEARCH_SCHEMA if field not in item]
        if missing:
            report((i,), f"{name}: missing field{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}")
        for field in item:
            if field not in SEARCH_SCHEMA and field not in SEARCH_OPTIONAL:
                report((i, field), f"{name}: unknown field '{field}'")
        for field, expected in (SEARCH_SCHEMA | SEARCH_OPTIONAL).items():
            if field in item and (error := _type_error(item[field], expected)) is not None:
                report((i, field), f"{name}: '{field}' {error} (found {item[field]!r})")
        if isinstance(item.get("id"), str):
            if not SEARCH_ID_RE.fullmatch(item["id"]):
                report((i, "id"), f"{name}: 'id' must be lower-case kebab-case, such as 'habenula-people'")
            elif item["id"] in seen:
                report((i, "id"), f"{name}: 'id' is also the id of search {seen[item['id']] + 1}; each search needs its own")
            seen.setdefault(item["id"], i)
        if isinstance(item.get("included"), list):
            for j, key in enumerate(item["included"]):
                if not isinstance(key, str) or not key.strip():
                    report((i, "included", j), f"{name}: 'included' item {j + 1} must be a references.bib key (found {key!r})")
    return problems


def check_reviews(reviews: list, searches, where: dict[tuple, tuple[int, int]], path: str) -> list[Problem]:
    """Problems with a page's recorded reviews, each at its line: every field present and of its type, and every
    search a review names logged on the page with `by: second-review`."""
    problems = []
    by_id = {s["id"]: s for s in searches if isinstance(s, dict) and isinstance(s.get("id"), str)} if isinstance(searches, list) else {}

    def report(at: tuple, message: str) -> None:
        problems.append(Problem(path, locate(where, ("reviewed", *at), 2), None, f"front matter: {message}"))

    for i, item in enumerate(reviews):
        name = f"review {i + 1}"
        if not isinstance(item, dict):
            report((i,), f"{name} must be a mapping of: {', '.join(REVIEW_SCHEMA)}")
            continue
        for field in item:
            if field not in REVIEW_SCHEMA:
                report((i, field), f"{name}: unknown field '{field}'")
        for field, expected in REVIEW_SCHEMA.items():
            if field not in item:
                report((i,), f"{name}: missing field '{field}'")
            elif (error := _type_error(item[field], expected)) is not None:
                report((i, field), f"{name}: '{field}' {error} (found {item[field]!r})")
        for j, search_id in enumerate(item.get("searches") if isinstance(item.get("searches"), list) else []):
            search = by_id.get(search_id) if isinstance(search_id, str) else None
            if search is None:
                report((i, "searches", j), f"{name}: no search on this page has the id {search_id!r}")
            elif search.get("by") != "second-review":
                report((i, "searches", j), f"{name}: search '{search_id}' is not marked 'by: second-review'")
    return problems


def search_keys(searches) -> list[tuple[str, str, tuple]]:
    """(key, search id, path in the front matter) of every key the well-formed searches include."""
    out = []
    for i, item in enumerate(searches if isinstance(searches, list) else []):
        if isinstance(item, dict) and isinstance(item.get("included"), list):
            for j, key in enumerate(item["included"]):
                if isinstance(key, str) and key.strip():
                    out.append((key, str(item.get("id", i + 1)), ("searches", i, "included", j)))
    return out


def place(where: Mapping[tuple, tuple[int, int]], path: tuple) -> tuple[int, int | None]:
    """The line and column of the list item at `path` (else the line of the nearest part of it that has one)."""
    line, col = where.get(path, (locate(where, path[:2], 2), 0))
    return line, col or None
