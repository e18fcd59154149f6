"""The content keeps its promises: every claim page complete, sourced, plain and consistent with the data."""

from __future__ import annotations

import re

import pytest

from citepages.bib import load_library
from citepages.pages import Project
from factcheck.claims import is_claim
from factcheck.frontmatter import CERTAINTIES
from tests.conftest import ROOT
from tests.content.readability import flesch_kincaid_grade

DOCS = ROOT / "docs"
ESSAY = ROOT.parent / "shared" / "source" / "essay-2021-02-09.txt"
SECTIONS = ["The claim", "Bottom line", "What the evidence shows", "How sure we are", "What we don't know",
            "What would change the verdict", "Evidence against"]
SITE = Project.find(config=ROOT / "mkdocs.yml").load()  # as the build analyses it: the engine and the evidence layer
CLAIMS = sorted(src for src in SITE.docs if is_claim(src))


def section(src: str, title: str) -> str:
    body = SITE.docs[src].text
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", body, re.MULTILINE | re.DOTALL)
    assert match, f"{src}: no '## {title}' section"
    return match[1]


def test_sources_are_clean():
    assert [str(p) for p in SITE.problems] == []


def test_thirteen_claims_numbered_in_order():
    numbers = sorted(SITE.meta[src]["claim_number"] for src in CLAIMS)
    assert numbers == list(range(1, len(CLAIMS) + 1)) and len(CLAIMS) >= 13


@pytest.mark.parametrize("src", CLAIMS)
def test_claim_page_has_every_section_in_order(src):
    headings = [h.title for h in SITE.docs[src].headings if h.level == 2]
    assert [h for h in headings if h in SECTIONS] == SECTIONS


@pytest.mark.parametrize("src", CLAIMS)
def test_claim_cites_at_least_two_sources(src):
    keys = {c.key for g in SITE.docs[src].groups for c in g.cites}
    assert len(keys) >= 2, keys


@pytest.mark.parametrize("src", CLAIMS)
def test_bottom_line_reads_at_grade_eight_or_lower(src):
    text = section(src, "Bottom line")
    assert "[@" not in text, "the bottom line carries no citations"
    grade = flesch_kincaid_grade(text)
    assert grade <= 8, f"{src}: Flesch-Kincaid grade {grade:.1f}"


@pytest.mark.parametrize("src", CLAIMS)
def test_animal_evidence_alone_is_very_low_certainty(src):
    cited = {c.key for g in SITE.docs[src].groups for c in g.cites}
    kinds = {SITE.library.entries[k].studytype for k in cited}
    if kinds <= {"animal"}:
        assert SITE.meta[src]["certainty"] == "Very low"
    assert SITE.meta[src]["certainty"] in CERTAINTIES


def test_readability_measure_tells_plain_from_dense():
    plain = "The drug works fast. It does not last long. Ask your doctor."
    dense = ("Pharmacological antagonism of N-methyl-D-aspartate receptors precipitates synaptogenesis "
             "through mammalian-target-of-rapamycin-dependent translational mechanisms in prefrontal pyramidal neurons.")
    assert flesch_kincaid_grade(plain) < 4 < 14 < flesch_kincaid_grade(dense)


def test_every_study_has_our_summary_and_type():
    library, _ = load_library((ROOT / "references.bib").read_bytes())
    assert library.entries, "references.bib holds the studies"
    cited = {c.key for doc in SITE.docs.values() for g in doc.groups for c in g.cites}
    assert [k for k, e in library.entries.items() if k not in cited and not e.background] == [], "every study is cited or background"
    for entry in library.entries.values():
        assert entry.studytype, entry.key
        assert entry.get("summary"), entry.key
        assert "et al" not in entry.latex.get("author", ""), entry.key


@pytest.mark.skipif(not ESSAY.is_file(), reason="the essay is shared beside the checkout, not published in the repository")
@pytest.mark.parametrize("src", CLAIMS)
def test_quote_is_verbatim_and_short(src):
    essay = re.sub(r"\s+", " ", ESSAY.read_text()).replace("—", "-")
    quote = re.sub(r"\s+", " ", SITE.meta[src]["quote"]).replace("—", "-")
    assert quote in essay, f"{src}: quote not found in the essay"


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make serve") < readme.index("## How it is made") and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("setup", "serve", "build", "check", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


RISKS = "risks.md"
RISKS_SECTIONS = ["Bottom line", "What the evidence shows", "How sure we are", "What we don't know", "Evidence against"]


def risks_part(start: str, end: str) -> str:
    body = SITE.docs[RISKS].text
    return body[body.index(start):body.index(end)]


def test_risks_page_has_every_section_in_order_with_people_before_animals():
    headings = SITE.docs[RISKS].headings
    assert [h.title for h in headings if h.level == 2 and h.title in RISKS_SECTIONS] == RISKS_SECTIONS
    evidence = section(RISKS, "What the evidence shows")
    assert re.findall(r"^### (.+)$", evidence, re.MULTILINE) == ["In people", "In animals"]


def test_risks_page_opens_with_the_bottom_line_on_breathing_suicidal_thoughts_and_home_use():
    headings = [h.title for h in SITE.docs[RISKS].headings if h.level == 2]
    assert headings[0] == "Bottom line", headings
    text = section(RISKS, "Bottom line")
    for topic, pattern in [("breathing", r"\bbreath"), ("suicidal thoughts", r"\bsuicid"), ("home use", r"\bat home\b"),
                           ("what to do", r"\btell your care team at once\b"), ("the US crisis line", r"\b988\b"),
                           ("a crisis line elsewhere", r"findahelpline\.com")]:
        assert re.search(pattern, text, re.IGNORECASE), f"the bottom line says nothing of {topic}"
    # The crisis line comes first, before any risk is described.
    assert text.index("988") < text.lower().index("breath")


def test_risks_page_says_who_should_not_take_it_and_what_interacts():
    who = next((h.title for h in SITE.docs[RISKS].headings if h.level == 2 and h.title.startswith("Who should not take it")), None)
    assert who, "no '## Who should not take it' section"
    text = section(RISKS, who)
    for condition in ("aneurysm", "bleed in the brain", "allergic", "6 weeks", "psychosis", "alcohol or drugs", "liver",
                      "pregnan", "blood pressure"):
        assert condition in text, f"'{who}' does not mention {condition!r}"
    interact = re.search(r"^### [^\n]*interact[^\n]*\n(.*?)(?=^##|\Z)", text, re.MULTILINE | re.DOTALL)
    assert interact, f"no '### ... interact' section under '{who}'"
    for drug in ("benzodiazepines", "opioid", "alcohol", "stimulants", "maois"):
        assert drug in interact[1].lower(), f"the interactions do not name {drug!r}"
    cited = set(re.findall(r"@([\w-]+)", text))
    assert {k for k in cited if SITE.library.entries[k].studytype == "regulatory"}, "the cautions cite no label"


def test_risks_bottom_line_reads_at_grade_eight_or_lower():
    text = section(RISKS, "Bottom line")
    assert "[@" not in text, "the bottom line carries no citations"
    assert flesch_kincaid_grade(text) <= 8


def test_risks_page_is_sourced_and_keeps_animal_studies_out_of_the_human_evidence():
    cited = {c.key for g in SITE.docs[RISKS].groups for c in g.cites}
    kinds = {SITE.library.entries[k].studytype for k in cited}
    assert len(cited) >= 10 and {"rct", "meta-analysis", "observational", "animal", "regulatory"} <= kinds
    in_people = set(re.findall(r"@([\w-]+)", risks_part("### In people", "### In animals")))
    in_animals = set(re.findall(r"@([\w-]+)", risks_part("### In animals", "## How sure we are")))
    assert not {k for k in in_people if SITE.library.entries[k].studytype == "animal"}
    assert {k for k in in_animals if SITE.library.entries[k].studytype == "animal"}
    assert not {k for k in in_animals if SITE.library.entries[k].studytype in ("rct", "open-label", "observational")}
    assert re.search(r"\[@[\w-]+", section(RISKS, "Evidence against")), "Evidence against cites a study"


def test_risks_page_logs_its_searches_including_a_contrary_one():
    searches = SITE.meta[RISKS]["searches"]
    assert len(searches) >= 3 and any(s["aim"] == "contrary" for s in searches)
    assert len({s["id"] for s in searches}) == len(searches)


def test_methodology_explains_every_kind_of_study_a_page_can_say():
    from citepages.bib import STUDY_TYPES

    kinds = re.search(r"^## Kinds of evidence\n(.*?)(?=^## )", (DOCS / "about" / "methodology.md").read_text(encoding="utf-8"),
                      re.MULTILINE | re.DOTALL)[1]
    named = {name.lower() for name in re.findall(r"\*\*([^*]+)\*\*", kinds)}
    assert [label for label in STUDY_TYPES.values() if label.lower() not in named] == []


def test_a_history_is_never_filed_under_reviews():
    """A first-hand history is one person's account: it sits under a heading of its own, not among reviews of studies."""
    histories = {key for key, entry in SITE.library.entries.items() if entry.studytype == "history"}
    misfiled = []
    for src in CLAIMS:
        for match in re.finditer(r"^### (Reviews[^\n]*)\n(.*?)(?=^##|\Z)", SITE.docs[src].text, re.MULTILINE | re.DOTALL):
            misfiled += [f"{src}: @{key} under '### {match[1]}'" for key in histories if f"@{key}" in match[2]]
    assert misfiled == []


@pytest.mark.parametrize("src", [*CLAIMS, RISKS])
def test_page_has_a_second_review_that_searched_from_scratch(src):
    """Someone who did not write the page searched it anew (five searches at least: three for contrary evidence,
    one for evidence that backs the essay) and recorded what the review changed."""
    meta = SITE.meta[src]
    assert meta.get("reviewed"), f"{src}: no second review recorded"
    by_id = {s["id"]: s for s in meta["searches"]}
    ran = [by_id[i] for review in meta["reviewed"] for i in review["searches"]]
    assert all(s.get("by") == "second-review" for s in ran)
    aims = [s["aim"] for s in ran]
    assert len(ran) >= 5 and aims.count("contrary") >= 3 and aims.count("supporting") >= 1, (src, aims)
    assert max(r["date"] for r in meta["reviewed"]) <= meta["last_reviewed"]


def test_every_study_meets_the_citability_rule():
    """Title, first author, journal or publisher, year, and a DOI, PubMed ID, PMCID or the publisher's page (CONTRIBUTING.md)."""
    library, _ = load_library((ROOT / "references.bib").read_bytes())
    unmet = []
    for entry in library.entries.values():
        fields = entry.fields
        has = {
            "title": bool(fields.get("title")),
            "first author": bool(entry.latex.get("author")),
            "journal or publisher": bool(entry.journal),
            "year": bool(entry.year),
            "identifier": bool(entry.doi or fields.get("pmid") or fields.get("pmcid") or entry.url),
        }
        unmet += [f"{entry.key}: no {name}" for name, seen in has.items() if not seen]
    assert unmet == []
