"""The summary of findings of a claim page: one row per outcome and time point, from the `findings:` list in its
front matter (declared and checked in factcheck/frontmatter.py), rendered as the page's "Summary of findings" section.

A row gives the comparison, how many studies and people, the effect in the source's own units (with its interval
where the source gives one), the certainty with the GRADE reasons for it, and the studies it rests on, cited as
`[@key]` so that they link and preview like every citation. A claim with no outcome measured in people (animal
studies, a question of law) has one row that says so (`no_outcome:`) instead of being left without a table.

The section is a Markdown table inside a `div.sof`: a table on a wide screen and in print; on a phone the stylesheet
lays each row out as a block with its column names, so nothing scrolls sideways.
"""

from __future__ import annotations

from citepages.citations import find_headings
from citepages.render import esc

from .claims import certainty_badge
from .frontmatter import FIRST_LINE, NOT_REPORTED, RATE_DOWN, RATE_UP, locate

HEADING = "Summary of findings"
ANCHOR = "summary-of-findings"
# Where the section goes: before the first of these second-level headings the page has, else at its end.
BEFORE = ("What the evidence shows", "How sure we are")
GUIDE = "../about/methodology.md#how-to-read-a-summary-of-findings"

COLUMNS = ("Outcome and time", "Comparison", "Studies (people)", "Effect (95% CI)", "Certainty", "Based on")


def finding_keys(findings, where: dict[tuple, tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    """(key, row number, line, column) of every key the rows cite."""
    out = []
    for i, row in enumerate(findings if isinstance(findings, list) else []):
        cites = row.get("cites") if isinstance(row, dict) else None
        for j, key in enumerate(cites if isinstance(cites, list) else []):
            if isinstance(key, str) and key.strip():
                line, col = where.get(("findings", i, "cites", j), (locate(where, ("findings", i), FIRST_LINE), 0))
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
