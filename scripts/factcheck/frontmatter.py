"""Read and validate the YAML front matter of hand-written pages; claim pages have a strict schema."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from citepages import schema
from citepages.problems import Problem, excerpt
from citepages.schema import ListOf, Number, Text, Whole

VERDICTS = ["Accurate", "Mostly accurate", "Lacks context", "Imprecise", "Misleading", "Unsupported", "Incorrect"]
CERTAINTIES = ["High", "Moderate", "Low", "Very low"]
# The claim's own question; a search on purpose for null, failed or critical work; one on purpose for work that backs the claim.
AIMS = ["question", "contrary", "supporting"]
REVIEWERS = ["second-review"]  # who ran a search, when not the page's writer
DESCRIPTION_MAX = 160
MEANING_MAX = 160  # one plain line: a phone shows it beside the verdict on the first screen
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
# A correction made after publication: when, and what was wrong and what the page says now.
CORRECTION_SCHEMA = {"date": dt.date, "what": str}

# The summary of findings (factcheck/findings.py): GRADE's five reasons to rate a body of evidence down, its three to
# rate it up, and the two shapes of a row.
RATE_DOWN = ["risk of bias", "inconsistency", "indirectness", "imprecision", "publication bias"]
RATE_UP = ["large effect", "dose-response", "plausible confounding"]
NOT_REPORTED = "not reported"  # participants, where the source we saw does not give them


@dataclass(frozen=True)
class Participants:
    """How many people a row's studies took part in: a whole number, or 'not reported'."""

    def error(self, value) -> str | None:
        return None if value == NOT_REPORTED or Whole().error(value) is None else f"must be a positive whole number or '{NOT_REPORTED}'"


@dataclass(frozen=True)
class FindingRow:
    """A row of the summary of findings: its fields depend on its shape, so `check_findings` checks them."""

    def error(self, value) -> str | None:
        return None if isinstance(value, dict) else "must be a mapping: an outcome row, or a 'no_outcome' row"


# One outcome at one time point: the comparison, the studies and people, the effect in the source's own units (with
# its interval and an absolute figure where the source gives them), the certainty with its reasons, and the studies.
OUTCOME_ROW = {
    "outcome": str,
    "time": str,
    "comparison": str,
    "studies": int,
    "participants": Participants(),
    "effect": str,
    "interval": (str, False),
    "absolute": (str, False),
    "certainty": CERTAINTIES,
    "reasons": ListOf(RATE_DOWN + RATE_UP),
    "cites": ListOf(Text("a references.bib key")),
    "note": (str, False),
}
# A claim with no outcome measured in people (animal studies only, a question of law): one row that says so.
NO_OUTCOME_ROW = {"no_outcome": str, "certainty": CERTAINTIES, "reasons": ListOf(RATE_DOWN + RATE_UP),
                  "cites": ListOf(Text("a references.bib key")), "note": (str, False)}
# A topic page (not a claim) may carry its review dates, its logged searches and its corrections too.
TOPIC_SCHEMA = {
    **PAGE_SCHEMA,
    "last_reviewed": (dt.date, False),
    "next_review": (dt.date, False),
    "searches": (ListOf(SEARCH_SCHEMA), False),
    "reviewed": (ListOf(REVIEW_SCHEMA), False),
    "corrections": (ListOf(CORRECTION_SCHEMA), False),
}
CLAIM_SCHEMA = {
    **PAGE_SCHEMA,
    "title": str,
    "description": Text(max_chars=DESCRIPTION_MAX),
    "claim": str,
    "quote": str,
    "claim_number": Whole(1, 999),  # the claim's place in the essay
    "verdict": VERDICTS,
    "verdict_meaning": Text(max_chars=MEANING_MAX),  # what the verdict means for this claim, in its own terms
    "verdict_as_of": dt.date,
    "certainty": CERTAINTIES,
    "last_reviewed": dt.date,
    "next_review": dt.date,
    "verdict_history": ListOf(HISTORY_SCHEMA),
    "searches": (ListOf(SEARCH_SCHEMA), False),  # the logged literature searches behind the page
    "reviewed": (ListOf(REVIEW_SCHEMA), False),  # the page's independent reviews, each naming the searches behind it
    "findings": ListOf(FindingRow()),  # the summary of findings
    "corrections": (ListOf(CORRECTION_SCHEMA), False),
}
# How messages name the items of a list: "search 2 ('habenula-null')", "review 1".
ITEMS = {"searches": "search", "reviewed": "review", "verdict_history": "verdict_history item", "findings": "findings row",
         "corrections": "correction"}
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
    if is_claim and isinstance(meta.get("findings"), list):
        problems += check_findings(meta, where, path)
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


def check_findings(meta: dict, where: dict[tuple, tuple[int, int]], path: str) -> list[Problem]:
    """What the claim schema cannot say of a summary of findings: each row has the fields of its shape, a certainty below
    High names a reason it was rated down for, a row rests on at least one study, and a page has at least one row and at
    most one 'no_outcome' row."""
    problems = []
    rows = meta["findings"]

    def report(at: tuple, message: str) -> None:
        problems.append(Problem(path, locate(where, at, FIRST_LINE), None, f"front matter: {message}"))

    if not rows:
        report(("findings",), "'findings' must list at least one row: one per outcome, or one 'no_outcome' row")
    no_outcome = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue  # the schema said so
        at, name = ("findings", i), schema.describe(("findings", i), meta, ITEMS)
        for issue in schema.check(row, NO_OUTCOME_ROW if "no_outcome" in row else OUTCOME_ROW, at):
            report(issue.at, issue.text(meta, ITEMS))
        reasons = row.get("reasons") if isinstance(row.get("reasons"), list) else []
        if row.get("certainty") in CERTAINTIES[1:] and not any(r in RATE_DOWN for r in reasons):
            report((*at, "reasons"), f"{name}: certainty '{row['certainty']}' needs the GRADE reasons it was rated down for "
                                     f"({', '.join(RATE_DOWN)})")
        if row.get("cites") == []:
            report((*at, "cites"), f"{name}: 'cites' must name at least one study the row rests on")
        if "no_outcome" in row:
            no_outcome.append(i)
    for i in no_outcome[1:]:
        report(("findings", i), f"findings row {i + 1}: a page has at most one 'no_outcome' row (the first is row {no_outcome[0] + 1})")
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
