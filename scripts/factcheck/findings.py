"""The summary of findings of a claim page: one row per outcome and time point, from the `findings:` list in its
front matter, checked there and rendered as the page's "Summary of findings" section.

A row gives the comparison, how many studies and people, the effect in the source's own units (with its interval
where the source gives one), the certainty with the GRADE reasons for it, and the studies it rests on, cited as
`[@key]` so that they link and preview like every citation. A claim with no outcome measured in people (animal
studies, a question of law) has one row that says so (`no_outcome:`) instead of being left without a table.

The section is a Markdown table inside a `div.sof`: a table on a wide screen and in print; on a phone the stylesheet
lays each row out as a block with its column names, so nothing scrolls sideways.
"""

from __future__ import annotations

from citepages.citations import find_headings
from citepages.problems import Problem
from citepages.render import esc

from .claims import certainty_badge
from .frontmatter import CERTAINTIES, _type_error, check_mapping, locate

HEADING = "Summary of findings"
ANCHOR = "summary-of-findings"
# Where the section goes: before the first of these second-level headings the page has, else at its end.
BEFORE = ("What the evidence shows", "How sure we are")
GUIDE = "../about/methodology.md#how-to-read-a-summary-of-findings"

# GRADE's five reasons to rate the certainty of a body of evidence down, and its three to rate it up.
RATE_DOWN = ["risk of bias", "inconsistency", "indirectness", "imprecision", "publication bias"]
RATE_UP = ["large effect", "dose-response", "plausible confounding"]
NOT_REPORTED = "not reported"  # participants, where the source we saw does not give them

# field: (type, required). An outcome row, and a row for a claim with no outcome in people.
OUTCOME_ROW = {
    "outcome": (str, True),
    "time": (str, True),
    "comparison": (str, True),
    "studies": (int, True),
    "participants": ("participants", True),
    "effect": (str, True),
    "interval": (str, False),
    "absolute": (str, False),
    "certainty": (CERTAINTIES, True),
    "reasons": (list, True),
    "cites": (list, True),
    "note": (str, False),
}
NO_OUTCOME_ROW = {
    "no_outcome": (str, True),
    "certainty": (CERTAINTIES, True),
    "reasons": (list, True),
    "cites": (list, True),
    "note": (str, False),
}
COLUMNS = ("Outcome and time", "Comparison", "Studies (people)", "Effect (95% CI)", "Certainty", "Based on")


def row_schema(row: dict) -> dict:
    return NO_OUTCOME_ROW if "no_outcome" in row else OUTCOME_ROW


def _field_error(value, expected) -> str | None:
    if expected == "participants":
        if value == NOT_REPORTED:
            return None
        return _type_error(value, int) and f"must be a positive whole number or '{NOT_REPORTED}'"
    return _type_error(value, expected)


def check_findings(findings, where: dict[tuple, tuple[int, int]], path: str) -> list[Problem]:
    """Problems with a claim page's summary of findings, each at its line (`where` is from `frontmatter.positions`)."""
    problems = []

    def report(at: tuple, message: str) -> None:
        problems.append(Problem(path, locate(where, ("findings", *at), 2), None, f"front matter: {message}"))

    if not isinstance(findings, list) or not findings:
        report((), "'findings' must be a list of rows (one per outcome, or one 'no_outcome' row)")
        return problems
    for i, row in enumerate(findings):
        name = f"findings row {i + 1}"
        if not isinstance(row, dict):
            report((i,), f"{name} must be a mapping of: {', '.join(OUTCOME_ROW)} (or 'no_outcome', with its certainty, reasons and cites)")
            continue
        schema = row_schema(row)
        extra = " (a 'no_outcome' row has only no_outcome, certainty, reasons, cites and note)" if schema is NO_OUTCOME_ROW else ""
        check_mapping(row, schema, name, lambda at, message, i=i: report((i, *at), message), _field_error, extra)
        _check_reasons(row, name, lambda at, message, i=i: report((i, *at), message))
        for j, key in enumerate(row.get("cites") if isinstance(row.get("cites"), list) else []):
            if not isinstance(key, str) or not key.strip():
                report((i, "cites", j), f"{name}: 'cites' item {j + 1} must be a references.bib key (found {key!r})")
        if isinstance(row.get("cites"), list) and not row["cites"]:
            report((i, "cites"), f"{name}: 'cites' must name at least one study the row rests on")
    no_outcome = [i for i, row in enumerate(findings) if isinstance(row, dict) and "no_outcome" in row]
    for i in no_outcome[1:]:
        report((i,), f"findings row {i + 1}: a page has at most one 'no_outcome' row (the first is row {no_outcome[0] + 1})")
    return problems


def _check_reasons(row: dict, name: str, report) -> None:
    """Each reason one of GRADE's; a certainty below High says why it was rated down."""
    reasons = row.get("reasons")
    if not isinstance(reasons, list):
        return
    for j, reason in enumerate(reasons):
        if reason not in RATE_DOWN + RATE_UP:
            report(("reasons", j), f"{name}: reason {reason!r} is not one of GRADE's: {', '.join(RATE_DOWN + RATE_UP)}")
    if row.get("certainty") in CERTAINTIES[1:] and not any(r in RATE_DOWN for r in reasons):
        report(("reasons",), f"{name}: certainty '{row['certainty']}' needs the GRADE reasons it was rated down for "
                             f"({', '.join(RATE_DOWN)})")


def finding_keys(findings, where: dict[tuple, tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    """(key, row number, line, column) of every key the rows cite."""
    out = []
    for i, row in enumerate(findings if isinstance(findings, list) else []):
        cites = row.get("cites") if isinstance(row, dict) else None
        for j, key in enumerate(cites if isinstance(cites, list) else []):
            if isinstance(key, str) and key.strip():
                line, col = where.get(("findings", i, "cites", j), (locate(where, ("findings", i), 2), 0))
                out.append((key, i + 1, line, col))
    return out


def _cell(text: str) -> str:
    """Text for a Markdown table cell: escaped for HTML, its pipes kept from ending the cell."""
    return esc(str(text)).replace("|", "&#124;")


def _citation(keys: list[str]) -> str:
    return "[" + "; ".join(f"@{key}" for key in keys) + "]"


def _certainty(row: dict) -> str:
    reasons = row.get("reasons") or []
    down = [r for r in reasons if r in RATE_DOWN]
    up = [r for r in reasons if r in RATE_UP]
    parts = [certainty_badge(row["certainty"])]
    if down:
        parts.append(f'<span class="sof__reasons">rated down for {_cell(", ".join(down))}</span>')
    if up:
        parts.append(f'<span class="sof__reasons">rated up for {_cell(", ".join(up))}</span>')
    return "<br>".join(parts)


def _row(row: dict) -> list[str]:
    note = f'<br><span class="sof__note">{_cell(row["note"])}</span>' if row.get("note") else ""
    if "no_outcome" in row:
        return ["**No outcome measured in people**", "—", "—", _cell(row["no_outcome"]) + note, _certainty(row), _citation(row["cites"])]
    people = row["participants"]
    counted = f"{row['studies']} ({people:,})" if isinstance(people, int) else f"{row['studies']} (people {NOT_REPORTED})"
    effect = _cell(row["effect"]) + (f" ({_cell(row['interval'])})" if row.get("interval") else "")
    if row.get("absolute"):
        effect += f'<br><span class="sof__absolute">{_cell(row["absolute"])}</span>'
    return [f"**{_cell(row['outcome'])}**<br>{_cell(row['time'])}", _cell(row["comparison"]), counted, effect + note,
            _certainty(row), _citation(row["cites"])]


def render_findings(findings: list[dict]) -> str:
    """The section as Markdown: its heading, the table (its citations left for the citation engine), and a link to
    the guide on the methodology page."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_row(row)) + " |" for row in findings]
    return (f"## {HEADING} {{ #{ANCHOR} }}\n\n"
            '<div class="sof" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n\n"
            f"How to read this table: [the summary of findings, explained]({GUIDE}).\n")


def insert_findings(markdown: str, meta: dict) -> str:
    """The page with its summary of findings before "What the evidence shows" (else "How sure we are", else at the end);
    the page unchanged when its front matter has no rows."""
    findings = meta.get("findings")
    if not isinstance(findings, list) or not findings:
        return markdown
    section = render_findings(findings)
    headings = {h.title: h.offset for h in find_headings(markdown, ids=False) if h.level == 2}
    at = next((headings[title] for title in BEFORE if title in headings), None)
    if at is None:
        return markdown.rstrip("\n") + "\n\n" + section
    return markdown[:at] + section + "\n" + markdown[at:]
