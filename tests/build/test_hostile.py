"""Broken and hostile sources, given to `citepages check` and to the strict build: both give the same verdict
and the same located lines, and neither a traceback nor a hang."""

from __future__ import annotations

import pytest

from tests.build.test_site import BIB, CLAIM, PAGE
from tests.conftest import BIN, ROOT, make_site, mkdocs_build, problem_lines, run

GOOD_CLAIM = CLAIM.format(verdict="Accurate")
BOMB = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "'lol'"] * 9) + "]\n" for i in range(30))


def entry(key: str) -> str:
    """Another entry, marked background (no page need cite it)."""
    return BIB.replace("yang2018ketamine", key).replace("studytype = {animal}", "studytype = {animal}, background = {true}")



# name: (bib, pages, (old, new) to replace in the real essay.yml or None, a line both must report: {line} is the line of old)
CASES = {
    "missing comma": (BIB.replace("volume = {554},", "volume = {554}\n  number = {7694},"), {}, None,
                      "references.bib:4: entry 'yang2018ketamine': field 'volume': a comma is missing after its value, before field 'number'"),
    "stray brace": (BIB.replace("journal = {Nature},", "journal = {Nature}},"), {}, None,
                    "references.bib:4: entry 'yang2018ketamine' ends on this line, before its fields 'year', 'volume', 'pages', 'doi', 'pmid', …, "
                    "which would be lost: a stray '}'?"),
    "DOI with a trailing full stop": (BIB.replace("doi = {10.1038/nature25509}", "doi = {10.1038/nature25509.}"), {}, None,
                                      "references.bib:5: entry 'yang2018ketamine': field 'doi' ends in '.' (pasted with the sentence's "
                                      "punctuation?); write '10.1038/nature25509'"),
    "PMID in full-width digits": (BIB.replace("pmid = {29446381}", "pmid = {２９４４６３８１}"), {}, None,
                                  "references.bib:5: entry 'yang2018ketamine': field 'pmid' is not a PubMed ID (digits 0-9 only): '２９４４６３８１'"),
    "entry on a '%' line": (BIB + "% " + entry("old2017a"), {}, None,
                            "references.bib:8: entry 'old2017a' starts on a line that starts with '%': BibTeX reads it all the same "
                            "('%' is no comment to it); delete the entry, or the '%'"),
    "a key that takes the studies index": (BIB + entry("index"), {}, None,
                                           "references.bib:8: entry 'index': the key would put its page where the studies index is "
                                           "(studies/index.html); choose another key (authorYEARword, such as yang2018ketamine)"),
    "unknown LaTeX command (a warning)": (BIB.replace("in the lateral habenula", "in the \\foo{lateral} habenula"), {}, None,
                                          "references.bib:3: warning: entry 'yang2018ketamine': field 'title': unknown LaTeX command \\foo "
                                          "(its argument's text is kept; write the character itself)"),
    "uncited entry (a warning)": (BIB + entry("other2019a").replace(", background = {true}", ""), {}, None,
                                  "references.bib:8: warning: entry 'other2019a' is cited on no page (cite it, or mark it 'background = {true}')"),
    "month 13": (BIB, {"claims/x.md": GOOD_CLAIM.replace("last_reviewed: 2026-01-01", "last_reviewed: 2026-13-01")}, None,
                 "docs/claims/x.md:10:16: front matter: '2026-13-01' is not a date that exists"),
    "30 February": (BIB, {"claims/x.md": GOOD_CLAIM.replace("verdict_as_of: 2026-01-01", "verdict_as_of: 2026-02-30")}, None,
                    "docs/claims/x.md:8:16: front matter: '2026-02-30' is not a date that exists"),
    "claim number with thousands of digits": (BIB, {"claims/x.md": GOOD_CLAIM.replace("claim_number: 1", "claim_number: " + "7" * 6000)}, None,
                                              "docs/claims/x.md:6:15: front matter: a number 6000 digits long; no field takes one that long"),
    "verdict_history a number": (BIB, {"claims/x.md": GOOD_CLAIM.replace("verdict_history: []", "verdict_history: 3")}, None,
                                 "docs/claims/x.md:13: front matter: 'verdict_history' must be a list (found 3)"),
    "searches a string": (BIB, {"claims/x.md": GOOD_CLAIM.replace("verdict_history: []", "verdict_history: []\nsearches: PubMed")}, None,
                          "docs/claims/x.md:14: front matter: 'searches' must be a list (found 'PubMed')"),
    "alias bomb in front matter": (BIB, {"claims/x.md": GOOD_CLAIM.replace("verdict_history: []", "verdict_history: []\n" + BOMB)}, None,
                                   "docs/claims/x.md:14:5: front matter: YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"),
    "alias bomb in essay.yml": (BIB, {"claims/x.md": GOOD_CLAIM}, ("author:", BOMB + "author:"),
                                "essay.yml:{line}:5: YAML anchors and aliases ('&name', '*name') are not allowed; write the value out"),
    "impossible date in essay.yml": (BIB, {"claims/x.md": GOOD_CLAIM}, ("date: 2021-02-09", "date: 2021-02-30"),
                                     "essay.yml:{line}:7: '2021-02-30' is not a date that exists"),
    "NUL in a page": (BIB, {"index.md": PAGE.replace("In rodents", "In\x00 rodents")}, None,
                      "docs/index.md:5:3: control character '\\x00' (U+0000); delete it"),
    "bytes that are not UTF-8": (BIB, {"index.md": PAGE.replace("In rodents", "In rod\udce9nts")}, None,
                                 "docs/index.md:5:7: bytes that are not UTF-8 (0xe9); save the file as UTF-8"),
    "unclosed front matter": (BIB, {"notes.md": "---\ntitle: Notes\n\n# Notes\n\nText [@yang2018ketamine].\n"}, None,
                              "docs/notes.md:1: front matter: the '---' on this line opens front matter that no '---' line closes; "
                              "close it (or start the page with its heading)"),
    "missing snippet": (BIB, {"index.md": PAGE + '\n--8<-- "includes/no-such-file.md"\n'}, None,
                        "docs/index.md:7: snippet 'includes/no-such-file.md' does not exist (looked in: .)"),
    "escape sequences in a key": (BIB, {"index.md": PAGE + "\nAlso [@{yang\x1b[2J2019}].\n"}, None,
                                  "docs/index.md:7:13: control character '\\x1b' (U+001B); delete it"),
    "invisible characters in a key": (BIB, {"index.md": PAGE + "\nAlso [@{yang\u200b2018\u202eketamine}].\n"}, None,
                                      "docs/index.md:7:7: unknown citation key 'yang\\u200b2018\\u202eketamine' (did you mean 'yang2018ketamine'?)"),
}


# What MkDocs itself warns of in a strict build (mkdocs.yml's `validation:`): check finds the same, in its own words.
LINKS = {
    "link to a page that does not exist": ("[the methods](about/methods.md)", "docs/index.md:7:{col}: warning: link 'about/methods.md': "
                                           "no page or file 'about/methods.md'"),
    "link to a heading that does not exist": ("[the verdicts](about/methodology.md#verdict)", "docs/index.md:7:{col}: warning: link "
                                              "'about/methodology.md#verdict': 'about/methodology.md' has no heading or element with the id 'verdict'"),
    "link to a missing heading of the page itself": ("[above](#evidenc)", "docs/index.md:7:{col}: warning: link '#evidenc': 'index.md' has "
                                                     "no heading or element with the id 'evidenc'"),
    "link to a heading a study page does not have": ("[the study](studies/yang2018ketamine.md#methods)", "docs/index.md:7:{col}: warning: link "
                                                     "'studies/yang2018ketamine.md#methods': 'studies/yang2018ketamine.md' has no heading or element "
                                                     "with the id 'methods'"),
    "link with invisible characters": ("[the methods](about/method\u200bology\u202e.md)", "docs/index.md:7:{col}: warning: link "
                                       "'about/method\\u200bology\\u202e.md': no page or file 'about/method\\u200bology\\u202e.md'"),
    "absolute link": ("[home](/index.md)", "docs/index.md:7:{col}: warning: link '/index.md': an absolute address; write it relative to this page"),
    "link to a folder": ("[studies](studies/)", "docs/index.md:7:{col}: warning: link 'studies/': names no page or file (link to the page's .md file)"),
}
NAV = "nav:\n  - index.md\n  - about/methodology.md\n  - Studies: studies/index.md\n"


@pytest.mark.parametrize("case", list(LINKS))
def test_check_fails_on_the_links_the_strict_build_fails_on(tmp_path, case):
    link, expected = LINKS[case]
    site = make_site(tmp_path, BIB, {"index.md": PAGE + f"\nSee {link}.\n"})
    check = run([str(BIN / "citepages"), "check"], site)
    build = mkdocs_build(site)
    assert (check.returncode, build.returncode) == (1, 1), check.stdout + check.stderr + build.stderr
    col = len("See ") + link.index("](") + len("](") + 1
    assert check.stderr.splitlines()[0] == expected.replace("{col}", str(col))
    assert len(problem_lines(build.stderr)) == 1 == len(check.stderr.splitlines()) - 1
    assert all(line.isprintable() for line in build.stderr.splitlines()), "MkDocs' own messages are escaped too"


@pytest.mark.parametrize(("nav", "expected"), [
    (NAV + "  - claims/x.md\n", None),
    (NAV, "docs/claims/x.md:1: warning: the page is in no 'nav' entry of mkdocs.yml; add it there"),
    (NAV + "  - claims/x.md\n  - claims/y.md\n", "mkdocs.yml:{line}:5: warning: nav: 'claims/y.md' is no page in docs/"),
])
def test_check_fails_on_the_navigation_the_strict_build_fails_on(tmp_path, nav, expected):
    site = make_site(tmp_path, BIB, {"index.md": PAGE, "claims/x.md": GOOD_CLAIM})
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + nav)
    check = run([str(BIN / "citepages"), "check"], site)
    build = mkdocs_build(site)
    assert check.returncode == build.returncode == (0 if expected is None else 1), check.stderr + build.stderr
    if expected is not None:
        line = config.read_text().count("\n")
        assert check.stderr.splitlines()[0] == expected.replace("{line}", str(line))


def site_for(tmp_path, case: str):
    """The mini-site of a case, and the line its expected problem names."""
    bib, pages, essay, expected = CASES[case]
    site = make_site(tmp_path, bib, {"index.md": PAGE})
    for src, text in pages.items():
        # Written as bytes, so that a lone surrogate stands for a byte that is not UTF-8.
        (site / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (site / "docs" / src).write_bytes(text.encode("utf-8", errors="surrogateescape"))
    if essay is not None:
        text = (site / "essay.yml").read_text()
        old, new = essay
        assert old in text
        (site / "essay.yml").write_text(text.replace(old, new, 1))
        expected = expected.replace("{line}", str(text[: text.index(old)].count("\n") + 1))
    return site, expected


def test_check_passes_on_the_real_site_as_its_strict_build_does(real_site):
    check = run([str(BIN / "citepages"), "check"], ROOT)
    assert (check.returncode, check.stderr) == (0, ""), check.stderr


def test_check_and_the_strict_build_pass_together_on_a_good_site(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE, "claims/x.md": GOOD_CLAIM})
    check = run([str(BIN / "citepages"), "check"], site)
    build = mkdocs_build(site)
    assert (check.returncode, build.returncode) == (0, 0), check.stderr + build.stderr
    assert problem_lines(build.stderr) == [] and check.stderr == ""


@pytest.mark.parametrize("case", list(CASES))
def test_check_and_the_strict_build_fail_together_with_the_same_located_line(tmp_path, case):
    site, expected = site_for(tmp_path, case)
    check = run([str(BIN / "citepages"), "check"], site)
    build = mkdocs_build(site)
    assert (check.returncode, build.returncode) == (1, 1), check.stdout + check.stderr + build.stderr
    for output in (check.stdout, check.stderr, build.stdout, build.stderr):
        assert "Traceback" not in output and all(line.isprintable() for line in output.splitlines()), output
    assert expected in check.stderr.splitlines(), check.stderr
    assert expected in problem_lines(build.stderr), build.stderr
    # Every line `check` gives, the build gives (the build adds its one closing line).
    assert [line for line in check.stderr.splitlines() if not line.startswith("citepages:")] == \
        [line for line in problem_lines(build.stderr) if not line.startswith("citepages:")]


def test_a_quiet_strict_build_still_fails_on_a_warning(tmp_path):
    site, warning = site_for(tmp_path, "unknown LaTeX command (a warning)")
    quiet = mkdocs_build(site, "-q")
    assert quiet.returncode == 1
    assert warning in problem_lines(quiet.stderr)
    assert (run([str(BIN / "citepages"), "check", "--strict"], site).returncode, mkdocs_build(site, "--no-strict").returncode) == (1, 0)
