"""What changed: the pages' history read from git, the changes of a page dated from its data, the Atom feed read by a
real feed parser, corrections checked at their line and shown at the top of the page."""

from __future__ import annotations

import datetime as dt
import subprocess

import feedparser

from factcheck import changes
from tests.unit.test_findings import BODY, ESSAY
from tests.unit.test_findings import GOOD as FINDINGS
from tests import evidence
from tests.unit.test_searchlog import BIB, CLAIM_HEAD

D = dt.date


def git(repo, *args, date: str = "2026-11-01T12:00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.strip()


def commit(repo, files: dict[str, str], date: str) -> str:
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change", date=date)
    return git(repo, "rev-parse", "HEAD")


def test_history_gives_each_commit_the_studies_it_cited_first_and_the_version_before(tmp_path):
    git(tmp_path, "init", "-q")
    first = commit(tmp_path, {"docs/claims/x.md": "In rats [@yang2018ketamine].\n", "docs/risks.md": "None.\n"}, "2026-11-01T10:00:00")
    second = commit(tmp_path, {"docs/claims/x.md": "In rats [@yang2018ketamine; @li2010mtor].\nMail me@example.org.\n"},
                    "2026-11-20T10:00:00")
    third = commit(tmp_path, {"docs/claims/x.md": "In rats [@li2010mtor].\n", "README.md": "@other2020x\n"}, "2026-12-01T10:00:00")
    fourth = commit(tmp_path, {"docs/claims/x.md": "In rats @yang2018ketamine [@li2010mtor].\n"}, "2026-12-03T10:00:00")
    found = changes.history(tmp_path)
    assert found.docs == "docs" and set(found.pages) == {"claims/x.md", "risks.md"}
    assert found.pages["claims/x.md"] == [
        changes.Revision(first, D(2026, 11, 1), (), None),  # a page's first version cites nothing new: it is the page
        changes.Revision(second, D(2026, 11, 20), ("li2010mtor",), first),  # an e-mail address is not a citation
        changes.Revision(third, D(2026, 12, 1), (), second),
        changes.Revision(fourth, D(2026, 12, 3), ("yang2018ketamine",), third),  # cited again after it was dropped
    ]
    assert changes.history(tmp_path / "docs").pages == {}  # no docs/ folder below there: nothing, and no error


def test_history_outside_git_is_empty(tmp_path):
    assert changes.history(tmp_path) == changes.History("docs", {})


META = {"verdict": "Misleading", "certainty": "Low", "verdict_as_of": D(2026, 12, 1),
        "verdict_history": [{"date": D(2026, 12, 1), "from": "Imprecise", "to": "Misleading", "why": "A new trial."},
                            {"date": D(2026, 11, 20), "from": "Moderate", "to": "Low", "why": "Small trials."}],
        "reviewed": [{"date": D(2026, 12, 5), "searches": ["a"], "changed": "Two studies added."}],
        "corrections": [{"date": D(2026, 12, 6), "what": "The dose was 0.5 mg/kg, not 5 mg/kg."}]}
REVISIONS = [changes.Revision("c1", D(2026, 11, 1)), changes.Revision("c2", D(2026, 11, 20), ("li2010mtor",), "c1"),
             changes.Revision("c3", D(2026, 12, 1), (), "c2"), changes.Revision("c4", D(2026, 12, 5), ("a2020b", "b2021c"), "c3")]


def test_a_claim_page_lists_each_change_newest_first_with_the_version_before_it():
    found = changes.page_changes(META, REVISIONS, lambda key: key.upper())
    assert [(c.date, c.kind, c.title, c.before, c.anchor) for c in found] == [
        (D(2026, 12, 6), "correction", "Correction", "c4", "change-2026-12-06-correction"),
        (D(2026, 12, 5), "review", "Second review", "c3", "change-2026-12-05-review"),
        (D(2026, 12, 5), "studies", "New studies cited", "c3", "change-2026-12-05-studies"),
        (D(2026, 12, 1), "verdict-change", "Verdict changed from Imprecise to Misleading", "c2", "change-2026-12-01-verdict-change"),
        (D(2026, 11, 20), "studies", "New study cited", "c1", "change-2026-11-20-studies"),
        (D(2026, 11, 20), "certainty-change", "Certainty changed from Moderate to Low", "c1", "change-2026-11-20-certainty-change"),
    ]
    assert found[2].text == "A2020B; B2021C"
    # No recorded change gave today's verdict: the page says when it was given.
    given = changes.page_changes({**META, "verdict_history": [], "reviewed": [], "corrections": []}, [], str)
    assert [(c.kind, c.title, c.before) for c in given] == [("verdict", "Verdict given: Misleading, certainty Low", None)]


def test_changes_of_one_kind_on_one_day_get_anchors_of_their_own():
    meta = {"corrections": [{"date": D(2026, 12, 6), "what": "One."}, {"date": D(2026, 12, 6), "what": "Two."}]}
    anchors = [c.anchor for c in changes.page_changes(meta, [], str, is_claim=False)]
    assert sorted(anchors) == ["change-2026-12-06-correction", "change-2026-12-06-correction-2"]
    # Two commits of one day: newest first, numbered in the order they were made.
    day = D(2026, 12, 1)
    revisions = [changes.Revision("a", day), changes.Revision("b", day, ("k1",), "a"), changes.Revision("c", day, ("k2",), "b")]
    claim = {"verdict": "Imprecise", "certainty": "Low", "verdict_as_of": D(2026, 11, 1)}
    studies = [(c.text, c.anchor, c.before) for c in changes.page_changes(claim, revisions, str) if c.kind == "studies"]
    assert studies == [("k2", "change-2026-12-01-studies-2", "b"), ("k1", "change-2026-12-01-studies", "a")]


def test_what_changed_links_the_version_before_and_the_feed():
    section = changes.what_changed(changes.page_changes(META, REVISIONS, str), "https://github.com/o/r/", "docs/claims/x.md", "../feed.xml")
    assert section.startswith("## What changed { #what-changed }")
    assert '<li class="changes__item changes__item--correction" id="change-2026-12-06-correction"><time datetime="2026-12-06">' in section
    assert 'href="https://github.com/o/r/blob/c4/docs/claims/x.md">The page before this change</a>' in section
    assert "[its feed](../feed.xml)" in section


def page(title="Is it so?", url="https://example.org/claims/x/"):
    return changes.PageChanges("claims/x.md", title, url, changes.page_changes(META, REVISIONS, str))


def test_the_feed_is_atom_that_a_feed_reader_reads_dated_from_the_data():
    xml = changes.atom_feed([page(), changes.PageChanges("risks.md", "Risks & <harms>", "https://example.org/risks/",
                                                            changes.page_changes({"corrections": [{"date": D(2026, 12, 2), "what": "Fixed."}],
                                                                                  "reviewed": [{"date": D(2026, 12, 1), "changed": "Two more."}]},
                                                                                 [], str, False))],
                            "https://example.org/", "Site")
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "Site: what changed"
    assert feed.feed.updated == "2026-12-06T00:00:00Z"
    entries = feed.entries
    assert len(entries) == 8 and len({e.id for e in entries}) == 8
    assert [e.updated[:10] for e in entries] == sorted((e.updated[:10] for e in entries), reverse=True)
    assert entries[0].title == "Is it so? — Correction" and entries[0].link == "https://example.org/claims/x/#change-2026-12-06-correction"
    risks = [e for e in entries if "risks" in e.link]
    assert [(e.title, e.updated) for e in risks] == [("Risks & <harms> — Correction", "2026-12-02T00:00:00Z"),
                                                      ("Risks & <harms> — Second review", "2026-12-01T00:00:00Z")]
    assert changes.atom_feed([page()], "https://example.org/", "Site") == changes.atom_feed([page()], "https://example.org/", "Site")


def test_corrections_are_checked_at_their_line_and_shown_at_the_top():
    head = CLAIM_HEAD + FINDINGS  # "corrections:" is line 28
    site = evidence.analyse(BIB.encode(), {"claims/x.md": head + "corrections:\n  - date: 2026-12-06\n    what: Fixed the dose.\n" + BODY},
                            essay=ESSAY)
    assert site.errors == []
    for bad, line in (("  - date: yesterday\n    what: Fixed.\n", "docs/claims/x.md:30: front matter: correction 1: 'date' must be a "
                       "date (YYYY-MM-DD) (found 'yesterday')"),
                      ("  - date: 2026-12-06\n", "docs/claims/x.md:30: front matter: correction 1: missing field 'what'"),
                      ("  - date: 2026-12-06\n    what: Fixed.\n    by: me\n", "docs/claims/x.md:32: front matter: correction 1: "
                       "unknown field 'by'")):
        site = evidence.analyse(BIB.encode(), {"claims/x.md": head + "corrections:\n" + bad + BODY}, essay=ESSAY)
        assert [str(p) for p in site.errors] == [line]
    topic = evidence.analyse(BIB.encode(), {"risks.md": "---\ntitle: Risks\ncorrections: some\n---\n\n# Risks\n"}, essay=ESSAY)
    assert [str(p) for p in topic.errors] == ["docs/risks.md:3: front matter: 'corrections' must be a list (found 'some')"]
    notice = changes.correction_notices({"corrections": [{"date": D(2026, 12, 6), "what": "<b>Fixed</b>."}]})
    page_text = changes.insert_after_title("# Title\n\nText.\n", notice)
    assert page_text.index("Correction, <time") > page_text.index("# Title") and page_text.index("Correction") < page_text.index("Text.")
    assert "<b>" not in notice and "6 December 2026" in notice


def test_the_report_links_fill_in_the_page():
    mailto, github = changes.report_links("fix@example.org", "https://github.com/o/r", "https://example.org/claims/x/", "Is it so?")
    assert mailto.startswith("mailto:fix@example.org?subject=Correction%3A%20Is%20it%20so%3F&body=Page%3A%20https%3A//example.org/claims/x/")
    assert github == "https://github.com/o/r/issues/new?template=correction.md&title=Correction%3A%20Is%20it%20so%3F"
    assert changes.report_html("", "", "u", "t") == ""
