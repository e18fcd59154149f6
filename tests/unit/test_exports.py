"""What the exports say of one entry: names with particles and suffixes, dates to the day, and the type of each document."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
import rispy

from citepages.bib import load_library
from citepages.render import cite_as, cite_label, coins
from citepages.sharing import citation_reference, csl_json, kind, ris, study_jsonld


def library(bib: str):
    lib, problems = load_library(bib.encode())
    assert problems == []
    return lib


NAMES_LIBRARY = library(r"""@article{berg2020x,
  author = {van der Berg, Anna and King, Jr., Martin L. and Smith, III, John and {World Health Organization}},
  title = {T}, journal = {J}, year = {2020}, month = {Sept}, studytype = {rct},
}
""")
NAMES = NAMES_LIBRARY.entries["berg2020x"]


def test_particles_and_suffixes_reach_every_form():
    assert cite_label(NAMES) == "van der Berg et al. 2020"
    assert cite_as(NAMES).startswith("van der Berg A, King ML Jr, Smith J III, World Health Organization. T.")
    coins_fields = parse_qs(coins(NAMES).split('title="')[1].split('"')[0].replace("&amp;", "&"))
    assert coins_fields["rft.au"] == ["van der Berg, Anna", "King, Martin L., Jr.", "Smith, John, III", "World Health Organization"]
    (item,) = json.loads(csl_json(NAMES_LIBRARY))
    assert item["author"] == [
        {"family": "Berg", "non-dropping-particle": "van der", "given": "Anna"},
        {"family": "King", "given": "Martin L.", "suffix": "Jr."},
        {"family": "Smith", "given": "John", "suffix": "III"},
        {"literal": "World Health Organization"},
    ]
    (record,) = rispy.loads(ris([NAMES]))
    assert record["authors"] == ["van der Berg, Anna", "King, Martin L., Jr.", "Smith, John, III", "World Health Organization"]
    assert [a["name"] for a in study_jsonld(NAMES, "u")["about"]["author"]] == [
        "Anna van der Berg", "Martin L. King Jr.", "John Smith III", "World Health Organization"]
    assert "citation_author=van der Berg, Anna" in citation_reference(NAMES)


@pytest.mark.parametrize(("fields", "parts", "ris_date"), [
    ("year = {2019}", [2019], None),
    ("year = {2019}, month = mar", [2019, 3], "2019/03//"),
    ("year = {2019}, month = {March}", [2019, 3], "2019/03//"),
    ("year = {2019}, month = {3}", [2019, 3], "2019/03//"),
    ("date = {2019-03-05}", [2019, 3, 5], "2019/03/05/"),
    ("date = {2019-03}", [2019, 3], "2019/03//"),
    ("year = {2019}, month = {jan}, date = {2019-03-05}", [2019, 3, 5], "2019/03/05/"),  # biblatex's date wins
])
def test_dates_keep_month_and_day(fields, parts, ris_date):
    lib = library(f"@misc{{fda2019x, author = {{{{FDA}}}}, title = {{T}}, {fields}}}\n")
    entry = lib.entries["fda2019x"]
    assert entry.date_parts == parts
    (item,) = json.loads(csl_json(lib))
    assert item["issued"] == {"date-parts": [parts]}
    (record,) = rispy.loads(ris([entry]))
    assert record["year"] == str(parts[0]) and record.get("date") == ris_date
    assert f"rft.date={entry.iso_date}" in coins(entry) and entry.iso_date.startswith(str(parts[0]))


@pytest.mark.parametrize(("text", "message"), [
    ("month = {Jule}", "field 'month' is not a month (1-12, jan-dec or its name): 'Jule'"),
    ("month = {13}", "field 'month' is not a month (1-12, jan-dec or its name): '13'"),
    ("date = {2019-02-30}", "field 'date' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): '2019-02-30'"),
])
def test_impossible_dates_are_refused_with_their_line(text, message):
    _, problems = load_library(f"@misc{{fda2019x, author = {{{{FDA}}}}, title = {{T}}, year = {{2019}},\n  {text}}}\n".encode())
    assert [str(p) for p in problems] == [f"references.bib:2: entry 'fda2019x': {message}"]


@pytest.mark.parametrize(("entry", "types"), [
    ("@article{k, author = {A, B}, title = {T}, journal = {J}, year = {2020}}", ("article-journal", "JOUR")),
    ("@book{k, author = {A, B}, title = {T}, publisher = {P}, year = {2020}}", ("book", "BOOK")),
    ("@incollection{k, author = {A, B}, title = {T}, booktitle = {B}, year = {2020}}", ("chapter", "CHAP")),
    ("@inproceedings{k, author = {A, B}, title = {T}, booktitle = {B}, year = {2020}}", ("paper-conference", "CPAPER")),
    ("@techreport{k, author = {A, B}, title = {T}, institution = {I}, year = {2020}}", ("report", "RPRT")),
    ("@phdthesis{k, author = {A, B}, title = {T}, school = {S}, year = {2020}}", ("thesis", "THES")),
    ("@online{k, title = {T}, url = {https://example.org/}, year = {2020}}", ("webpage", "ELEC")),
    ("@misc{k, author = {{DEA}}, title = {T}, year = {1999}, howpublished = {Final rule, Federal Register vol. 64}}", ("legislation", "STAT")),
    ("@misc{k, author = {{DEA}}, title = {T}, year = {1999}, howpublished = {Proposed rule, Federal Register}}", ("bill", "BILL")),
    ("@misc{k, author = {{FDA}}, title = {T}, year = {2019}, howpublished = {News release}}", ("report", "RPRT")),
    ("@misc{k, author = {{FDA}}, title = {T}, year = {2022}, howpublished = {Alert to health care professionals},"
     " url = {https://www.fda.gov/x}}", ("webpage", "ELEC")),
    ("@misc{k, author = {{FDA}}, title = {T}, year = {2022}}", ("document", "GEN")),
])
def test_each_document_has_the_csl_and_ris_type_it_is(entry, types):
    lib = library(entry + "\n")
    assert kind(lib.entries["k"]) == types
    schema = {"JOUR": "ScholarlyArticle", "STAT": "Legislation", "BILL": "Legislation", "RPRT": "Report", "ELEC": "WebPage",
              "BOOK": "Book", "CHAP": "Chapter", "CPAPER": "ScholarlyArticle", "THES": "Thesis", "GEN": "CreativeWork"}[types[1]]
    work = study_jsonld(lib.entries["k"], "u")["about"]
    assert work["@type"] == schema
    assert work.get("isPartOf", {}).get("@type") == {"JOUR": "Periodical", "CHAP": "Book", "CPAPER": "Book"}.get(types[1])
    assert json.loads(csl_json(lib))[0]["type"] == types[0]
    assert rispy.loads(ris(list(lib.entries.values())))[0]["type_of_reference"] == types[1]
