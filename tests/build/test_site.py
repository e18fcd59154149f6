"""Whole-site builds: the real site builds clean, and each broken mini-site gives exactly its lines."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import BIN, ROOT, make_site, mkdocs_build, problem_lines, run

BIB = """@article{yang2018ketamine,
  author = {Yang, Yan and Hu, Hailan},
  title = {Ketamine blocks bursting in the lateral habenula to rapidly relieve depression},
  journal = {Nature}, year = {2018}, volume = {554}, pages = {317--322},
  doi = {10.1038/nature25509}, pmid = {29446381}, studytype = {animal}, n = {rats and mice},
  summary = {Ketamine stopped habenula bursting in rodents.}
}
"""
PAGE = "# A page\n\n## Evidence\n\nIn rodents [@yang2018ketamine].\n"


def test_real_site_has_every_claim_and_study_page(real_site):
    claims = sorted(p.stem for p in (ROOT / "docs" / "claims").glob("*.md") if p.stem != "index")
    assert len(claims) >= 13
    for slug in claims:
        assert (real_site / "claims" / slug / "index.html").is_file()
    keys = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(), re.MULTILINE)
    for key in keys:
        assert (real_site / "studies" / key / "index.html").is_file(), key
    assert not (ROOT / "docs" / "studies").exists(), "generated pages never land in docs/"


def test_every_page_carries_disclaimer_and_crisis_line(real_site):
    pages = list(real_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text()
        assert 'href="tel:988"' in text and "Not medical advice" in text, page


def test_study_pages_link_back_and_edit_the_bibliography(real_site):
    html = (real_site / "studies" / "yang2018ketamine" / "index.html").read_text()
    assert 'href="https://github.com/ketamine-evidence/site/edit/main/references.bib"' in html
    cited_on = re.findall(r'href="(\.\./\.\./claims/[^"]+)"', html)
    assert any("#" in href for href in cited_on), "Cited on links land on a section"
    # Study pages stay out of the navigation: a claim page does not link every study.
    claim = (real_site / "claims" / "legal-status" / "index.html").read_text()
    nav = claim[claim.index('<nav class="md-nav md-nav--primary"'):claim.index("</nav>", claim.index('md-nav--primary'))]
    assert "studies/yang2018ketamine" not in nav


def test_claim_page_citation_links_to_study_with_preview(real_site):
    html = (real_site / "claims" / "nature-light-switch" / "index.html").read_text()
    assert 'href="../../studies/yang2018ketamine/"' in html
    assert 'role="tooltip"' in html and "Animal study" in html
    assert re.search(r'<h2 [^>]*id="references"', html)


def test_unknown_key_fails_with_file_line_and_suggestion(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE.replace("[@yang2018ketamine]", "[@yang2018ketamine] and [see @yang2019]")})
    result = mkdocs_build(site)
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "docs/index.md:5:41: unknown citation key 'yang2019' (did you mean 'yang2018ketamine'?)",
        "citepages: 1 problem(s) in the sources; nothing was built",
    ]
    assert "Traceback" not in result.stderr


def test_broken_bib_reports_every_problem_in_one_run(tmp_path):
    bib = BIB + "@article{bad2020a, title = {T}, year = {20}}\n@article{nocomma2020 title = {X}}\n"
    result = mkdocs_build(make_site(tmp_path, bib, {"index.md": PAGE}))
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "references.bib:8: warning: entry 'bad2020a' is cited on no page (cite it, or mark it 'background = {true}')",
        "references.bib:8: entry 'bad2020a': field 'year' is not a four-digit year: '20'",
        "references.bib:8: entry 'bad2020a': missing required field 'author' for @article",
        "references.bib:8: entry 'bad2020a': missing required field 'journal or journaltitle' for @article",
        "references.bib:9: block could not be read, so it would be lost: Expected comma after entry key, but found =",
        "citepages: 5 problem(s) in the sources; nothing was built",
    ]


def test_unknown_latex_command_is_one_located_warning_and_fails_the_strict_build(tmp_path):
    bib = BIB.replace("in the lateral habenula", "in the \\foo{lateral} habenula")
    site = make_site(tmp_path, bib, {"index.md": PAGE})
    result = mkdocs_build(site)
    assert result.returncode == 1
    warning = ("references.bib:3: warning: entry 'yang2018ketamine': field 'title': unknown LaTeX command \\foo "
               "(its argument's text is kept; write the character itself)")
    assert problem_lines(result.stderr) == [
        warning, "citepages: 1 problem(s) in the sources (the build is strict: warnings fail it); nothing was built"]
    # `check` is the strict build's verdict (mkdocs.yml sets strict: true), and so is a quiet build.
    check = run([str(BIN / "citepages"), "check"], site)
    assert (check.returncode, check.stdout) == (1, "")
    assert check.stderr.splitlines() == [warning, "citepages: the build is strict (strict: true in mkdocs.yml), so its 1 warning(s) fail it"]
    quiet = mkdocs_build(site, "-q")
    assert quiet.returncode == 1 and warning in problem_lines(quiet.stderr)
    assert mkdocs_build(site, "--no-strict").returncode == 0
    html = (site / "site" / "studies" / "yang2018ketamine" / "index.html").read_text()
    assert "Ketamine blocks bursting in the lateral habenula" in html, "the argument's text is kept"


def test_uncited_entry_warns_unless_background(tmp_path):
    extra = BIB.replace("yang2018ketamine", "other2019a")
    result = mkdocs_build(make_site(tmp_path, BIB + extra, {"index.md": PAGE}))
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "references.bib:8: warning: entry 'other2019a' is cited on no page (cite it, or mark it 'background = {true}')",
        "citepages: 1 problem(s) in the sources (the build is strict: warnings fail it); nothing was built",
    ]
    background = extra.replace("studytype = {animal}", "studytype = {animal}, background = {true}")
    assert mkdocs_build(make_site(tmp_path / "b", BIB + background, {"index.md": PAGE})).returncode == 0


@pytest.mark.parametrize(("path", "what"), [
    ("studies/yang2018ketamine.md", "study page"),
    ("studies/yang2018ketamine/index.md", "study page"),
    ("references.json", "bibliography export"),
    ("references.bib", "bibliography export"),
    ("downloads/x.bib", "reference download"),
    ("assets/cards/x.jpg", "share card"),
])
def test_hand_written_file_at_a_generated_path_is_refused(tmp_path, path, what):
    site = make_site(tmp_path, BIB, {"index.md": PAGE, "claims/x.md": CLAIM.format(verdict="Misleading"), path: "mine\n"})
    line = f"docs/{path}:1: this path is needed for a generated {what}; move or rename the hand-written file"
    result = mkdocs_build(site)
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [line, "citepages: 1 problem(s) in the sources; nothing was built"]
    check = run([str(BIN / "citepages"), "check"], site)
    assert (check.returncode, check.stderr.splitlines()) == (1, [line])
    assert (site / "docs" / path).read_text() == "mine\n"


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("---\ntitle: [unclosed\n---\n", "docs/claims/x.md:3:1: malformed front matter: expected ',' or ']', but got '<stream end>'"),
        ("---\ntitle: T\nverdict: Sort of\n---\n", "docs/claims/x.md:3: front matter: 'verdict' must be one of: Accurate, Mostly accurate, Lacks context, Imprecise, Misleading, Unsupported, Incorrect (found 'Sort of')"),
        ("---\ntitle: T\ncolour: red\n---\n", "docs/claims/x.md:3: front matter: unknown field 'colour'"),
        ("---\ntitle: T\n---\n", "docs/claims/x.md:1: front matter: missing fields 'description', 'claim', 'quote', "
         "'claim_number', 'verdict', 'verdict_meaning', 'verdict_as_of', 'certainty', 'last_reviewed', 'next_review', 'verdict_history', 'findings' "
         "(see templates/claim.md)"),
    ],
)
def test_malformed_front_matter_fails_with_its_line(tmp_path, front, line):
    result = mkdocs_build(make_site(tmp_path, BIB, {"index.md": PAGE, "claims/x.md": front + "# X\n"}))
    assert result.returncode == 1
    assert line in problem_lines(result.stderr)


def test_cli_check_and_build(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    ok = run([str(BIN / "citepages"), "check"], site)
    assert (ok.returncode, ok.stderr) == (0, "")
    (site / "docs" / "index.md").write_text(PAGE.replace("yang2018ketamine", "yang2018ketamin"))
    bad = run([str(BIN / "citepages"), "check"], site)
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == ["docs/index.md:5:13: unknown citation key 'yang2018ketamin' (did you mean 'yang2018ketamine'?)",
                                       "references.bib:1: warning: entry 'yang2018ketamine' is cited on no page (cite it, or mark it 'background = {true}')"]
    usage = run([str(BIN / "citepages"), "check", "--no-such-flag"], site)
    assert usage.returncode == 2
    module = run([str(BIN / "python"), "-m", "citepages", "check", "--bib", "missing.bib"], site)
    assert module.returncode == 2 and "no such file: missing.bib" in module.stderr

    (site / "docs" / "index.md").write_text(PAGE)
    out = tmp_path / "out"
    for _ in range(2):  # a new folder, then the one it wrote, replaced whole
        built = run([str(BIN / "citepages"), "build", "--out", str(out)], site)
        assert built.returncode == 0, built.stderr
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == ["studies/index.md", "studies/yang2018ketamine.md"]
        assert not (out / "stale").exists()
        (out / "stale").mkdir()
    # A failing run writes nothing and keeps what was there.
    (site / "references.bib").write_text(BIB + "@article{x,\n")
    failed = run([str(BIN / "citepages"), "build", "--out", str(out)], site)
    assert failed.returncode == 1 and (out / "studies" / "yang2018ketamine.md").is_file()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}


@pytest.mark.parametrize(("out", "message"), [
    (".", "--out . holds the docs folder (docs): give a folder of its own"),
    ("..", "--out .. holds the docs folder (docs): give a folder of its own"),
    ("references.bib", "--out references.bib is the bibliography (references.bib): give a folder of its own"),
    ("docs/built", "--out docs/built is inside the docs folder: a build never writes there"),
    ("overrides", "--out overrides was not written by citepages build (it has no .citepages-build file): remove it or give another folder"),
])
def test_cli_build_replaces_only_a_folder_it_wrote(tmp_path, out, message):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    before = _tree(tmp_path)
    for args in ([], ["--site"]):
        refused = run([str(BIN / "citepages"), "build", *args, "--out", out], site)
        assert (refused.returncode, refused.stderr) == (2, f"citepages: {message}; nothing written\n")
        assert _tree(tmp_path) == before, "nothing changed, nothing left behind"


def test_cli_build_of_the_whole_site_takes_only_the_projects_own_pages_and_bibliography(tmp_path):
    site = make_site(tmp_path / "a", BIB, {"index.md": PAGE})
    other = make_site(tmp_path / "b", BIB, {"index.md": PAGE})
    before = _tree(tmp_path)
    refused = run([str(BIN / "citepages"), "build", "--site", "--docs", str(other / "docs"), "--bib", str(other / "references.bib"),
                   "--out", "out"], site)
    assert (refused.returncode, refused.stderr) == (2, f"citepages: --site writes the sources of the site mkdocs.yml describes; "
                                                       f"--docs {other / 'docs'} and --bib {other / 'references.bib'} are not its own; nothing written\n")
    assert _tree(tmp_path) == before
    assert run([str(BIN / "citepages"), "build", "--docs", str(other / "docs"), "--out", "out"], site).returncode == 0  # study pages only: any pages


def test_cli_build_that_fails_to_write_leaves_no_trace(tmp_path, monkeypatch, capsys):
    import citepages.__main__ as cli

    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    monkeypatch.chdir(site)
    assert cli.main(["build", "--out", "out"]) == 0
    before = _tree(tmp_path)

    def fail(folder, files):
        (folder / "half").mkdir(parents=True)
        raise OSError(36, "File name too long", str(folder / "half" / "x"))

    monkeypatch.setattr(cli, "_write", fail)
    assert cli.main(["build", "--out", "out"]) == 1
    assert capsys.readouterr().err.endswith("File name too long; nothing written\n")
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".out")) == [], "no staging folder is left"
    monkeypatch.setattr(cli, "_write", lambda folder, files: (folder.mkdir(), (_ for _ in ()).throw(KeyboardInterrupt)))
    with pytest.raises(KeyboardInterrupt):
        cli.main(["build", "--out", "out"])
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("problem", ["unknown key", "warning"])
def test_failed_plain_mkdocs_build_keeps_the_previous_site(tmp_path, problem):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    assert mkdocs_build(site).returncode == 0
    before = _tree(site / "site")
    if problem == "unknown key":
        (site / "docs" / "index.md").write_text(PAGE.replace("yang2018ketamine", "nokey"))
    else:  # a warning: the strict build stops on it
        (site / "references.bib").write_text(BIB + BIB.replace("yang2018ketamine", "other2019a"))
    result = mkdocs_build(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Cleaning site directory" not in result.stderr
    assert _tree(site / "site") == before


def test_key_too_long_for_a_file_name_is_refused_with_its_line(tmp_path):
    key = "k" * 300
    site = make_site(tmp_path, BIB + BIB.replace("yang2018ketamine", key), {"index.md": PAGE + f"\nAnd [@{key}].\n"})
    line = f"references.bib:8: entry '{key}': key is 300 characters long; a study page's file name takes at most 100 (e.g. yang2018ketamine)"
    check = run([str(BIN / "citepages"), "check"], site)
    assert (check.returncode, check.stderr.splitlines()) == (1, [line])
    result = mkdocs_build(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert problem_lines(result.stderr) == [line, "citepages: 1 problem(s) in the sources; nothing was built"]
    assert not (site / "site").exists()


def test_two_builds_are_byte_identical(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert mkdocs_build(site, "--site-dir", str(out), SOURCE_DATE_EPOCH="1700000000").returncode == 0
    assert differing(first, second) == []


def test_the_site_rendered_in_the_background_is_the_site_rendered_in_place(tmp_path):
    """The study pages and generated files made by a second process (citepages.background) are the ones made in the
    build's own process, byte for byte (`CITEPAGES_JOBS=1`)."""
    first, second, temporary = tmp_path / "background", tmp_path / "in-place", tmp_path / "tmp"
    temporary.mkdir()
    assert mkdocs_build(ROOT, "--site-dir", str(first), SOURCE_DATE_EPOCH="1700000000", TMPDIR=str(temporary)).returncode == 0
    assert mkdocs_build(ROOT, "--site-dir", str(second), SOURCE_DATE_EPOCH="1700000000", CITEPAGES_JOBS="1", TMPDIR=str(temporary)).returncode == 0
    assert len(list(first.rglob("studies/*/index.html"))) >= 100 and list(first.rglob("assets/cards/*.jpg"))
    assert differing(first, second) == []
    assert list(temporary.glob("citepages-*")) == []  # the folder the work wrote into is gone with the build


def test_a_failure_in_the_background_fails_the_build_with_the_childs_traceback(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    # A renderer that fails in the second process only (where the build's own process has a different id).
    hooks = site / "scripts" / "hooks.py"
    hooks.write_text(hooks.read_text() + "\n\nimport os as _os\n_parent = _os.getpid()\n_real = pages.study_pages\n"
                     "pages.study_pages = lambda *a, **k: (_real if _os.getpid() == _parent else None)(*a, **k)\n")
    (temporary := tmp_path / "tmp").mkdir()
    result = mkdocs_build(site, TMPDIR=str(temporary))
    assert result.returncode == 1 and "Traceback" not in result.stderr.split("citepages: the study pages could not be made")[0]
    assert "citepages: the study pages could not be made: the background work failed" in result.stderr
    assert "TypeError: 'NoneType' object is not callable" in result.stderr  # the child's own traceback, for the bug report
    assert not (site / "site").exists()
    assert list(temporary.glob("citepages-*")) == []


def differing(first: Path, second: Path) -> list[str]:
    """Files that differ between two folders, or are in one only (compared byte for byte)."""
    out = []

    def walk(cmp: filecmp.dircmp, where: str):
        out.extend(f"{where}{name}" for name in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(f"{where}{name}" for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{where}{name}/")

    walk(filecmp.dircmp(first, second), "")
    return out


EDGE_BIB = BIB + r"""
@article{citeas2020x, author = {Doe, Jane}, title = {Cite as}, journal = {J}, year = {2020}, studytype = {rct}, background = {true}}
@misc{evil2021x, author = {{<img src=x onerror=alert(1)>}}, title = {<script>alert(1)</script> {{ page.title }} slot0x},
  year = {2021}, studytype = {review}, background = {true}, summary = {NMDA & <b>bold</b> citepages}}
"""


@pytest.mark.parametrize("which", ["real site", "edge cases"])
def test_study_pages_are_byte_for_byte_what_the_theme_renders(tmp_path, which):
    """Study pages reuse one rendering of main.html with each page's own values put in (hooks.py, _study_renderer);
    the site must be exactly the one rendered page by page."""
    site = ROOT if which == "real site" else make_site(tmp_path, EDGE_BIB, {"index.md": PAGE})
    shared, full = tmp_path / "shared", tmp_path / "full"
    result = mkdocs_build(site, "--site-dir", str(shared), SOURCE_DATE_EPOCH="1700000000")
    assert result.returncode == 0, result.stderr
    assert "rendered in full" not in result.stderr, "the shared rendering is used"
    assert mkdocs_build(site, "--site-dir", str(full), SOURCE_DATE_EPOCH="1700000000", CITEPAGES_FULL_RENDER="1").returncode == 0
    assert len(list(shared.rglob("studies/*/index.html"))) >= 3
    assert differing(shared, full) == []


def test_study_pages_are_rendered_in_full_when_the_theme_uses_more_of_the_page(tmp_path):
    """A theme override that shows a value the shared rendering does not put in is caught on the second page."""
    bib = BIB + "".join(
        f"@article{{k{i}2020x, author = {{Doe, Jane}}, title = {{Study {i}}}, journal = {{J}}, year = {{2020}}, studytype = {{rct}}, background = {{true}}}}\n"
        for i in range(3))
    site = make_site(tmp_path, bib, {"index.md": PAGE})
    main = site / "overrides" / "main.html"
    main.write_text(main.read_text().replace("{% block extrahead %}", '{% block extrahead %}{% if page %}<meta name="x-source" content="{{ page.file.src_uri }}">{% endif %}', 1))
    result = mkdocs_build(site, "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "rendered in full" in result.stderr
    for key in ("yang2018ketamine", "k02020x", "k12020x", "k22020x"):
        html = (tmp_path / "out" / "studies" / key / "index.html").read_text()
        assert f'<meta name="x-source" content="studies/{key}.md">' in html, key


def test_failed_make_build_keeps_the_previous_site(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    shutil.copy(ROOT / "Makefile", site / "Makefile")
    make = ["make", "-s", f"VENV={BIN.parent}", "-o", f"{BIN.parent}/.installed", "build"]
    assert run(make, site).returncode == 0
    before = (site / "site" / "index.html").read_bytes()
    (site / "docs" / "index.md").write_text(PAGE.replace("yang2018ketamine", "nokey"))
    assert run(make, site).returncode != 0
    assert (site / "site" / "index.html").read_bytes() == before
    assert not (site / ".site-build").exists()


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self.scripts, self.text, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/ld+json"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_script:
            self.scripts.append(data)


def test_hostile_bibliography_builds_inert_html(tmp_path):
    bib = BIB.replace("Yang, Yan", "<img src=x onerror=alert(1)>").replace(
        "Ketamine blocks", "<script>alert(1)</script> [x](javascript:alert(2)) {{ config.site_name }} Ketamine blocks"
    ).replace("summary = {", 'summary = {"><svg onload=alert(3)> ')
    site = make_site(tmp_path, bib, {"index.md": PAGE})
    assert mkdocs_build(site).returncode == 0
    for page in ("studies/yang2018ketamine/index.html", "studies/index.html", "index.html"):
        parser = _Elements()
        parser.feed((site / "site" / page).read_text())
        for tag, attrs in parser.found:
            assert tag not in ("img", "svg", "iframe") or "onerror" not in attrs, page
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            assert not any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()), (page, tag)
        assert not any("alert(" in script for script in parser.scripts), page
        html = (site / "site" / page).read_text()
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL):
            assert "<" not in block and json.loads(block)
        if page != "index.html":
            assert "<script>alert(1)</script>" in "".join(parser.text), "the title is shown, as text"


def test_bibliography_is_parsed_once_per_build(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import citepages.site

    calls = []
    original = citepages.site.load_library
    monkeypatch.setattr(citepages.site, "load_library", lambda *a, **k: calls.append(1) or original(*a, **k))
    pages = {"index.md": PAGE, **{f"notes/p{i}.md": PAGE.replace("A page", f"Page {i}") for i in range(5)}}
    site = make_site(tmp_path, BIB, pages)
    monkeypatch.chdir(tmp_path)  # the build must not depend on the working folder
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    build(config)
    assert calls == [1]
    assert (tmp_path / "out" / "studies" / "yang2018ketamine" / "index.html").is_file()


CLAIM = """---
title: Is it true?
description: A test claim, rated {verdict}.
claim: A test claim.
quote: a short phrase
claim_number: 1
verdict: {verdict}
verdict_as_of: 2026-01-01
certainty: Very low
last_reviewed: 2026-01-01
next_review: 2027-01-01
verdict_meaning: What {verdict} means here.
verdict_history: []
findings:
  - no_outcome: Animal studies only.
    certainty: Very low
    reasons: [indirectness]
    cites: [yang2018ketamine]
---

# Is it true?

## What the evidence shows

In rodents [@yang2018ketamine].
"""


def test_evidence_map_on_the_built_site_follows_the_front_matter(tmp_path):
    home = "# Home\n\n<!-- citepages:evidence-map -->\n\n<!-- citepages:timeline -->\n"
    maps = {}
    for verdict in ("Misleading", "Accurate"):
        site = make_site(tmp_path / verdict, BIB.replace("n = {rats and mice},", "n = {rats and mice}, milestone = {Bursting blocked},"),
                         {"index.md": home, "claims/x.md": CLAIM.format(verdict=verdict)})
        result = mkdocs_build(site)
        assert result.returncode == 0, result.stderr
        html = (site / "site" / "index.html").read_text()
        start = html.index('id="evidence-map"')
        maps[verdict] = html[start:html.index("</table>", start)]
        assert 'id="timeline"' in html and "Bursting blocked" in html
    assert "verdict--misleading" in maps["Misleading"] and "verdict--accurate" not in maps["Misleading"]
    assert "verdict--accurate" in maps["Accurate"]
    assert "<caption" in maps["Accurate"] and "Animal studies" in maps["Accurate"]


def _primary_nav(page: bytes) -> bytes:
    start = page.index(b'<nav class="md-nav md-nav--primary"')
    depth, at = 0, start
    while True:  # to the </nav> that closes it: a section's own <nav> nests inside
        opening, closing = page.find(b"<nav", at), page.find(b"</nav>", at)
        if opening != -1 and opening < closing:
            depth, at = depth + 1, opening + 4
        else:
            depth, at = depth - 1, closing + 6
            if depth == 0:
                return page[start:at]


def test_shared_navigation_renders_exactly_as_material(tmp_path):
    """Pages in the navigation: byte for byte Material's own partials. Study pages, kept out of it: the same page,
    its navigation pruned as Material's navigation.prune prunes it without navigation.sections."""
    pages = {"index.md": PAGE, **{f"notes/p{i}.md": PAGE.replace("A page", f"Page {i}") for i in range(3)}}
    bib = BIB + BIB.replace("yang2018ketamine", "other2019a").replace("studytype = {animal}", "studytype = {animal}, background = {true}")
    outputs = {}
    for variant in ("cached", "material", "material-pruned"):
        site = make_site(tmp_path / variant, bib, pages)
        if variant != "cached":
            for partial in ("nav.html", "nav-item.html"):
                (site / "overrides" / "partials" / partial).unlink()
        if variant == "material-pruned":
            config = (site / "mkdocs.yml").read_text()
            assert "    - navigation.sections\n" in config
            (site / "mkdocs.yml").write_text(config.replace("    - navigation.sections\n", "    - navigation.prune\n"))
        assert mkdocs_build(site).returncode == 0
        outputs[variant] = {p.relative_to(site / "site"): p.read_bytes() for p in (site / "site").rglob("*.html")}
    assert outputs["cached"].keys() == outputs["material"].keys()
    studies = [p for p in outputs["cached"] if p.parts[0] == "studies" and p.parts[1] != "index.html"]
    assert len(studies) == 2
    for path, page in outputs["cached"].items():
        if path not in studies:
            assert page == outputs["material"][path], path
            continue
        nav, theirs = _primary_nav(page), _primary_nav(outputs["material"][path])
        assert page.replace(nav, theirs) == outputs["material"][path], path
        # Equal but for runs of white space, which a browser shows as one space (the two take other branches of nav-item.html).
        assert re.sub(rb"\s+", b" ", nav) == re.sub(rb"\s+", b" ", _primary_nav(outputs["material-pruned"][path])), path
        # The top level only: every page and section, none of the pages inside a section.
        assert b"md-nav__item--pruned" in nav and b"notes/p1/" not in nav and b"notes/p1/" in theirs


def test_every_way_of_naming_the_config_builds_the_same_site(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE})
    runs = [(["-f", "mkdocs.yml"], site), (["-f", "../mkdocs.yml"], site / "docs"), (["-f", str(site / "mkdocs.yml")], tmp_path)]
    outputs = []
    for number, (args, cwd) in enumerate(runs):
        out = tmp_path / f"out{number}"
        result = run([str(BIN / "mkdocs"), "build", "--strict", *args, "--site-dir", str(out)], cwd)
        assert result.returncode == 0 and problem_lines(result.stderr) == [], (args, result.stderr)
        assert "Traceback" not in result.stderr
        outputs.append(out)
    for other in outputs[1:]:
        assert not filecmp.dircmp(outputs[0], other).diff_files
    check = run([str(BIN / "citepages"), "check"], site / "docs")
    assert check.returncode == 0 and "1 entries, 2 pages, no errors" in check.stdout, check.stdout + check.stderr


def test_on_github_actions_each_problem_is_also_an_annotation(tmp_path):
    site = make_site(tmp_path, BIB, {"index.md": PAGE.replace("[@yang2018ketamine]", "[see @yang2019]")})
    result = mkdocs_build(site, GITHUB_ACTIONS="true")
    assert result.returncode == 1
    assert "::error file=docs/index.md,line=5,col=17::unknown citation key 'yang2019' (did you mean 'yang2018ketamine'?)" in result.stdout
    check = run([str(BIN / "citepages"), "check"], site, GITHUB_ACTIONS="true")
    assert "::error file=docs/index.md,line=5,col=17::" in check.stdout
    assert "::error" not in mkdocs_build(site, GITHUB_ACTIONS="false").stdout


def test_headings_with_citations_or_underscores_keep_clean_ids_that_cited_on_links_reach(tmp_path):
    page = "# A page\n\n## Findings in animals [@yang2018ketamine]\n\nText.\n\n## The NMDA_receptor story\n\nMore [@yang2018ketamine].\n"
    site = make_site(tmp_path, BIB, {"index.md": page})
    result = mkdocs_build(site)
    assert result.returncode == 0 and problem_lines(result.stderr) == [], result.stderr
    home = (site / "site" / "index.html").read_text()
    assert '<h2 id="findings-in-animals">Findings in animals <span class="citation">' in home
    assert '<h2 id="the-nmda_receptor-story">' in home
    study = (site / "site" / "studies" / "yang2018ketamine" / "index.html").read_text()
    assert 'href="../../#findings-in-animals"' in study and 'href="../../#the-nmda_receptor-story"' in study


def test_keys_pandoc_cites_build_study_pages_with_safe_names_and_notes_and_link_texts_render_right(tmp_path):
    keys = {"averroes/bland": "averroes-bland", "1657:huyghens": "1657-huyghens", "пункт3": "пункт3",
            "https://example.com/bib?name=foobar&date=2000": "https-example.com-bib-name-foobar-date-2000"}
    bib = BIB + "".join(f"@misc{{{key},\n  author = {{Doe, Jane}},\n  title = {{On {name}}},\n  year = {{2000}},\n  publisher = {{P}}\n}}\n"
                        for key, name in keys.items())
    page = (PAGE + "\nSee @averroes/bland [p. 3; @1657:huyghens] and [@пункт3; @{https://example.com/bib?name=foobar&date=2000}].\n"
            "A note.[^1]\n\n[^1]: @yang2018ketamine\n")
    site = make_site(tmp_path, bib, {"index.md": page})
    result = mkdocs_build(site)
    assert result.returncode == 0 and problem_lines(result.stderr) == [], result.stderr
    home = (site / "site" / "index.html").read_text()
    for key, name in keys.items():
        assert (site / "site" / "studies" / name / "index.html").is_file(), name
        assert f'href="studies/{quote(name)}/"' in home, key
    note = re.search(r'<li id="fn:1">(.*?)</li>', home, re.DOTALL)[1]
    assert 'class="cite__link" href="studies/yang2018ketamine/"' in note
    assert not re.search(r'="[^"]*<', home), "no markup inside an attribute"

    linked = make_site(tmp_path / "linked", BIB, {"index.md": PAGE + "\n[A study by @yang2018ketamine](https://example.org/).\n"})
    result = mkdocs_build(linked)
    assert result.returncode == 1
    assert problem_lines(result.stderr)[0] == ("docs/index.md:7:13: warning: '@yang2018ketamine' is in a link's text, where it cannot be "
                                              "a citation, so it stays as written (take it out, or write \\@ for an at sign)")
