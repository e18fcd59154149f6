"""Read and validate the YAML front matter of hand-written pages; claim pages have a strict schema."""

from __future__ import annotations

import datetime as dt
import re

from citepages import schema
from citepages.problems import Problem, excerpt
from citepages.schema import ListOf, Number, Text, Whole

VERDICTS = ["Accurate", "Mostly accurate", "Lacks context", "Imprecise", "Misleading", "Unsupported", "Incorrect"]
CERTAINTIES = ["High", "Moderate", "Low", "Very low"]
# The claim's own question; a search on purpose for null, failed or critical work; one on purpose for work that backs the claim.
AIMS = ["question", "contrary", "supporting"]
REVIEWERS = ["second-review"]  # who ran a search, when not the page's writer
DESCRIPTION_MAX = 160
QUOTE_MAX_WORDS = 12

# Every field a page may carry is declared here, once (see citepages.schema for the spec language):
# `name: spec` is a required field, `name: (spec, False)` an optional one.
# Fields MkDocs and Material read on any page.
PAGE_SCHEMA = {
    "title": (str, False),
    "description": (str, False),
    "hide": (ListOf(str), False),
    "search": ({"boost": (Number(), False), "exclude": (bool, False)}, False),
    "template": (str, False),
    "status": (str, False),
    "icon": (str, False),
    "subtitle": (str, False),
    "tags": (ListOf(str), False),
}
# A change of verdict, or of certainty: `from` and `to` are both verdicts or both certainty levels.
HISTORY_SCHEMA = {"date": dt.date, "from": VERDICTS + CERTAINTIES, "to": VERDICTS + CERTAINTIES, "why": str}
# One logged search (see CONTRIBUTING.md).
SEARCH_SCHEMA = {"id": str, "date": dt.date, "source": str, "terms": str, "aim": AIMS, "found": str,
                 "included": ListOf(Text("a references.bib key")), "excluded": str, "by": (REVIEWERS, False)}
# One independent review of a page: when, the ids of the searches it ran from scratch, and what it changed.
REVIEW_SCHEMA = {"date": dt.date, "searches": ListOf(Text("a search's id")), "changed": str}
SEARCH_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A topic page (not a claim) may carry its review dates and its logged searches too.
TOPIC_SCHEMA = {
    **PAGE_SCHEMA,
    "last_reviewed": (dt.date, False),
    "next_review": (dt.date, False),
    "searches": (ListOf(SEARCH_SCHEMA), False),
    "reviewed": (ListOf(REVIEW_SCHEMA), False),
}
CLAIM_SCHEMA = {
    **PAGE_SCHEMA,
    "title": str,
    "description": Text(max_chars=DESCRIPTION_MAX),
    "claim": str,
    "quote": str,
    "claim_number": Whole(1, 999),  # the claim's place in the essay
    "verdict": VERDICTS,
    "verdict_as_of": dt.date,
    "certainty": CERTAINTIES,
    "last_reviewed": dt.date,
    "next_review": dt.date,
    "verdict_history": ListOf(HISTORY_SCHEMA),
    "searches": (ListOf(SEARCH_SCHEMA), False),  # the logged literature searches behind the page
    "reviewed": (ListOf(REVIEW_SCHEMA), False),  # the page's independent reviews, each naming the searches behind it
}
# How messages name the items of a list: "search 2 ('habenula-null')", "review 1".
ITEMS = {"searches": "search", "reviewed": "review", "verdict_history": "verdict_history item"}
FIRST_LINE = schema.FRONT_MATTER_LINE


locate = schema.locate


def parse(yaml_text: str | None, path: str) -> tuple[dict, list[Problem]]:
    """The front matter as a dict; a YAML error is one problem at its line."""
    meta, problems, _ = read(yaml_text, path)
    return meta, problems


read = schema.front_matter  # the front matter as a dict, its problems as YAML, and the place of every field and item


def check_page(meta: dict, where: dict[tuple, tuple[int, int]], path: str, is_claim: bool) -> list[Problem]:
    """Problems with a page's front matter, one per field: the claim schema for claim pages, the topic schema elsewhere.
    `where` is the place of each field and item, from `read`."""
    problems = []

    def report(at: tuple, message: str) -> None:
        problems.append(Problem(path, locate(where, at, FIRST_LINE), None, f"front matter: {message}"))

    for issue in schema.check(meta, CLAIM_SCHEMA if is_claim else TOPIC_SCHEMA):
        text = issue.text(meta, ITEMS)
        if issue.at == () and text.startswith("missing"):
            problems.append(Problem(path, 1, None, f"front matter: {text} (see templates/claim.md)"))
        else:
            report(issue.at, text)
    if isinstance(meta.get("searches"), list):
        problems += check_searches(meta["searches"], where, path)
    if isinstance(meta.get("reviewed"), list):
        problems += check_reviews(meta["reviewed"], meta.get("searches"), where, path)
    for i, change in enumerate(meta["verdict_history"] if isinstance(meta.get("verdict_history"), list) else []):
        if isinstance(change, dict) and not schema.check(change, HISTORY_SCHEMA) and (change["from"] in VERDICTS) != (change["to"] in VERDICTS):
            report(("verdict_history", i), f"verdict_history item {i + 1}: 'from' and 'to' must both be verdicts or both certainty levels")
    if isinstance(meta.get("quote"), str) and len(meta["quote"].split()) > QUOTE_MAX_WORDS:
        report(("quote",), f"'quote' is longer than {QUOTE_MAX_WORDS} words: quote the essay in short phrases only")
    dates = {n: meta[n] for n in ("verdict_as_of", "last_reviewed", "next_review") if n in meta and schema.Date().error(meta[n]) is None}
    if "verdict_as_of" in dates and "last_reviewed" in dates and dates["verdict_as_of"] > dates["last_reviewed"]:
        report(("verdict_as_of",), "'verdict_as_of' is after 'last_reviewed'")
    if "last_reviewed" in dates and "next_review" in dates and dates["next_review"] <= dates["last_reviewed"]:
        report(("next_review",), "'next_review' must be after 'last_reviewed'")
    return problems


def check_searches(searches: list, where: dict[tuple, tuple[int, int]], path: str) -> list[Problem]:
    """What the schema cannot say of a page's logged searches: each id is kebab-case and its own (`where` is from `read`)."""
    problems = []
    seen: dict[str, int] = {}
    for i, item in enumerate(searches):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        name = schema.describe(("searches", i), {"searches": searches}, ITEMS)
        line = locate(where, ("searches", i, "id"), FIRST_LINE)
        if not SEARCH_ID_RE.fullmatch(item["id"]):
            problems.append(Problem(path, line, None, f"front matter: {name}: 'id' must be lower-case kebab-case, such as 'habenula-people'"))
        elif item["id"] in seen:
            problems.append(Problem(path, line, None, f"front matter: {name}: 'id' is also the id of search {seen[item['id']] + 1}; each search needs its own"))
        seen.setdefault(item["id"], i)
    return problems


def check_reviews(reviews: list, searches, where: dict[tuple, tuple[int, int]], path: str) -> list[Problem]:
    """What the schema cannot say of a page's recorded reviews: every search a review names is logged on the page
    with `by: second-review`."""
    problems = []
    by_id = {s["id"]: s for s in searches if isinstance(s, dict) and isinstance(s.get("id"), str)} if isinstance(searches, list) else {}
    for i, item in enumerate(reviews):
        ids = item.get("searches") if isinstance(item, dict) else None
        for j, search_id in enumerate(ids if isinstance(ids, list) else []):
            if not isinstance(search_id, str):
                continue
            search = by_id.get(search_id)
            if search is None:
                message = f"no search on this page has the id '{excerpt(search_id, quoted=False)}'"
            elif search.get("by") != "second-review":
                message = f"search '{excerpt(search_id, quoted=False)}' is not marked 'by: second-review'"
            else:
                continue
            problems.append(Problem(path, locate(where, ("reviewed", i, "searches", j), FIRST_LINE), None, f"front matter: review {i + 1}: {message}"))
    return problems


def search_keys(searches, where: dict[tuple, tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """(key, search id, line, column) of every key the well-formed searches include."""
    out = []
    for i, item in enumerate(searches if isinstance(searches, list) else []):
        if isinstance(item, dict) and isinstance(item.get("included"), list):
            for j, key in enumerate(item["included"]):
                if isinstance(key, str) and key.strip():
                    line, col = where.get(("searches", i, "included", j), (locate(where, ("searches", i), FIRST_LINE), 0))
                    out.append((key, str(item.get("id", i + 1)), line, col))
    return out
