"""The content rules of a fair hearing, as functions: each takes a page's data and returns what breaks the rule.

tests/content/test_fair_hearing.py applies them to the real pages; tests/unit/test_content_rules.py shows,
on small fixtures, that each passes good content and fails bad.
"""

from __future__ import annotations

import re

from citepages.citations import mask_code
from citepages.render import esc
from factcheck.essay import Essay
from factcheck.searchlog import absences, search_links
from tests.content.readability import flesch_kincaid_grade

MIN_SEARCHES = 3
RISKS_SECTIONS = ["Bottom line", "What the evidence shows", "How sure we are", "What we don't know", "Evidence against"]
RISKS_SUBSECTIONS = ["In people", "In animals"]
NONE_FOUND_RE = re.compile(r"None found as of (\d{4}-\d{2}-\d{2})")


def section(body: str, title: str, level: int = 2) -> str | None:
    """The text of a section (to the next heading of its level or higher), or None when there is none."""
    hashes = "#" * level
    match = re.search(rf"^{hashes} {re.escape(title)}[ \t]*(?:\{{[^}}]*\}})?[ \t]*\n(.*?)(?=^#{{1,{level}}} |\Z)",
                      body, re.MULTILINE | re.DOTALL)
    return match[1] if match else None


def search_ids(meta: dict) -> set[str]:
    return {s["id"] for s in meta.get("searches") or [] if isinstance(s, dict) and "id" in s}


def searches_problems(meta: dict) -> list[str]:
    searches = [s for s in meta.get("searches") or [] if isinstance(s, dict)]
    out = []
    if len(searches) < MIN_SEARCHES:
        out.append(f"{len(searches)} logged search(es); at least {MIN_SEARCHES} are needed")
    if not any(s.get("aim") == "contrary" for s in searches):
        out.append("no search with 'aim: contrary'")
    return out


def absence_problems(body: str, meta: dict) -> list[str]:
    """Each statement of absence must link to one of the page's own logged searches."""
    ids, out = search_ids(meta), []
    for number, line in absences(body):
        linked = search_links(line)
        if not linked:
            out.append(f"body line {number}: a statement of absence without a link to a logged search: {line.strip()}")
        for missing in sorted(set(linked) - ids):
            out.append(f"body line {number}: links to search '{missing}', which the page does not log")
    return out


def evidence_against_problems(body: str, meta: dict) -> list[str]:
    """Evidence against cites a study, or says "None found as of YYYY-MM-DD" with links to the searches run."""
    text = section(body, "Evidence against")
    if text is None:
        return ["no '## Evidence against' section"]
    masked = mask_code(text)
    if re.search(r"\[[^\]\n]*@[A-Za-z0-9_]", masked):
        return []
    none_found = NONE_FOUND_RE.search(masked)
    if none_found is None:
        return ["'Evidence against' neither cites a study nor says 'None found as of YYYY-MM-DD'"]
    linked = search_links(text[none_found.end():])  # the masked text blanks link addresses
    if not linked:
        return ["'None found as of …' is not followed by links to the searches that were run"]
    return [f"'Evidence against' links to search '{i}', which the page does not log" for i in sorted(set(linked) - search_ids(meta))]


def risks_structure_problems(body: str, meta: dict, home_body: str) -> list[str]:
    """The risks page has the claim pages' sections, its searches, a plain bottom line, and a link from the home page."""
    out = [f"no '## {title}' section" for title in RISKS_SECTIONS if section(body, title) is None]
    evidence = section(body, "What the evidence shows") or ""
    out += [f"no '### {sub}' under 'What the evidence shows'" for sub in RISKS_SUBSECTIONS
            if not re.search(rf"^### {re.escape(sub)}\b", evidence, re.MULTILINE)]
    out += searches_problems(meta)
    bottom = section(body, "Bottom line")
    if bottom is not None:
        if "[@" in bottom:
            out.append("the bottom line carries citations")
        elif bottom.strip() and (grade := flesch_kincaid_grade(bottom)) > 8:
            out.append(f"the bottom line reads at Flesch-Kincaid grade {grade:.1f}; at most 8")
    if not re.search(r"\]\((?:\./)?risks\.md(?:#[^)]*)?\)", home_body):
        out.append("the home page does not link to risks.md")
    return out


def study_link_problems(links: list[tuple[str, str]]) -> list[str]:
    """A study page links to its paper by an identifier, or to a search labelled as one."""
    if not links:
        return ["no identifier link and no labelled search link"]
    return [f"link '{label}' is not an http(s) address" for label, href in links if not href.startswith(("https://", "http://"))]


def source_problems(box: str, review: dict, essay: Essay) -> list[str]:
    """The verdict box names the essay (author, linked title, outlet, date); the ClaimReview carries it too."""
    out = [f"the verdict box lacks the essay's {name}" for name, shown in (
        ("author", esc(essay.author)), ("outlet", f"<em>{esc(essay.outlet)}</em>"), ("date", f"{essay.date.day} {essay.date:%B %Y}"),
        ("link", f'href="{essay.url}"')) if shown not in box]
    item = review.get("itemReviewed", {})
    appearance = item.get("appearance", {})
    if item.get("author") != {"@type": "Person", "name": essay.author}:
        out.append("itemReviewed.author is not the essay's author as a Person")
    expected = {"url": essay.url, "headline": essay.title, "datePublished": essay.date.isoformat()}
    out += [f"itemReviewed.appearance.{k} is not {v!r}" for k, v in expected.items() if appearance.get(k) != v]
    if appearance.get("@type") != "CreativeWork" or appearance.get("publisher", {}).get("name") != essay.outlet:
        out.append("itemReviewed.appearance is not a CreativeWork published by the essay's outlet")
    return out
