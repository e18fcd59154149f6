"""The bibliography reader: what real tools export is read right; broken input is refused with its line."""

from __future__ import annotations

import pytest

from citepages.bib import Library, load_library, normalise_doi, page_name, parse_names
from citepages.latex import to_unicode
from citepages.render import render_study


def load(text: str | bytes):
    return load_library(text.encode() if isinstance(text, str) else text, "references.bib")


def only_entry(text: str):
    library, problems = load(text)
    assert [str(p) for p in problems] == []
    (entry,) = library.entries.values()
    return entry


ARTICLE = """@article{{yang2018ketamine,
  author = {{Yang, Yan and Hu, Hailan}},
  title = {{{title}}},
  journal = {{Nature}},
  year = {{2018}},{extra}
}}
"""


def article(title: str = "Ketamine blocks bursting", extra: str = "") -> str:
    return ARTICLE.format(title=title, extra=extra)


def test_zotero_biblatex_export_is_read():
    entry = only_entry(
        """@article{yangKetamineBlocksBursting2018,
  title = {Ketamine Blocks Bursting in the Lateral Habenula to Rapidly Relieve Depression},
  author = {Yang, Yan and Cui, Yihui},
  date = {2018-02-15},
  journaltitle = {Nature},
  shortjournal = {Nature},
  volume = {554},
  pages = {317--322},
  issn = {1476-4687},
  doi = {10.1038/nature25509},
  langid = {english},
  keywords = {Depression,Ketamine},
  abstract = {Text we never show.},
  file = {/home/x/Zotero/storage/yang.pdf},
  urldate = {2021-02-09}
}"""
    )
    assert entry.key == "yangKetamineBlocksBursting2018"
    assert (entry.year, entry.journal, entry.doi) == ("2018", "Nature", "10.1038/nature25509")
    page = render_study(entry, [], "https://example.org/references.bib#L1")
    assert "Nature" in page and "317–322" in page
    assert "Text we never show" not in page and "Zotero/storage" not in page


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"M{\"u}ller \"{u}ber {\o}rsted Caf\'{e} Mart\'in \'{\i}", "Müller über ørsted Café Martín í"),
        (r"pages 1--2, a---b, Dr.~Who", "pages 1–2, a—b, Dr.\u00a0Who"),
        (r"The {NMDA} receptor and {GABA$_A$}", "The NMDA receptor and GABAA"),
        (r"$\alpha$-amino and $\beta$ cells", "α-amino and β cells"),
        (r"Research \& Development, 50\% fewer", "Research & Development, 50% fewer"),
        (r"\emph{In vivo} and \textit{ex vivo}", "In vivo and ex vivo"),
        (r"\c{c} \v{S} \ss{} \l{} \aa", "ç Š ß ł å"),
    ],
)
def test_latex_becomes_unicode(latex, text):
    assert to_unicode(latex) == text


def test_macros_months_concatenation_comments_and_parentheses():
    library, problems = load(
        """@comment{Exported by JabRef}
@preamble{"\\newcommand{\\noop}[1]{}"}
@string{nat = "Nature"}
@STRING(neuro = {Neuroscience})
@article (paren2020a,
  author = "Smith, Ann",
  title = "Parentheses " # {and } # "concatenation",
  journal = nat # { } # neuro,
  month = feb,
  year = 2020
)
@article   {space2021b, author = {Doe, J}, title = {T}, journal = {J}, year = {2021}}
"""
    )
    assert [str(p) for p in problems] == []
    first, second = library.entries.values()
    assert first.title == "Parentheses and concatenation"
    assert first.journal == "Nature Neuroscience"
    assert first.fields["month"] == "2"
    assert second.key == "space2021b"


def test_undefined_macro_is_reported():
    _, problems = load(article(extra="\n  note = undefinedmacro # { x},"))
    assert [str(p) for p in problems] == [
        "references.bib:6: entry 'yang2018ketamine': field 'note': undefined @string macro 'undefinedmacro'"
    ]


@pytest.mark.parametrize("written", ["https://doi.org/10.1038/nature25509", "doi:10.1038/nature25509", "http://dx.doi.org/10.1038/nature25509", " DOI: 10.1038/nature25509"])
def test_doi_forms_are_normalised(written):
    assert normalise_doi(written) == "10.1038/nature25509"
    entry = only_entry(article(extra=f"\n  doi = {{{written}}},"))
    assert entry.doi == "10.1038/nature25509"


def test_bom_and_crlf_are_accepted():
    data = b"\xef\xbb\xbf" + article().replace("\n", "\r\n").encode()
    library, problems = load(data)
    assert problems == [] and list(library.entries) == ["yang2018ketamine"]


def test_regulatory_misc_with_organisation_author():
    entry = only_entry(
        """@misc{fda2019esketamine,
  author = {{U.S. Food and Drug Administration}},
  title = {FDA approves new nasal spray medication for treatment-resistant depression},
  year = {2019}, month = mar,
  url = {https://www.fda.gov/news-events/press-announcements/example},
  publisher = {U.S. Food and Drug Administration},
  howpublished = {News release},
  studytype = {regulatory}
}"""
    )
    assert entry.authors[0].literal and entry.authors[0].last == "U.S. Food and Drug Administration"
    page = render_study(entry, [], "#")
    assert "Regulatory document" in page and "fda&#46;gov" not in page
    assert 'href="https://www.fda.gov/news-events/press-announcements/example"' in page


def test_consortium_with_hundreds_of_authors_collapses_after_ten():
    authors = " and ".join(f"Author{i:03d}, A." for i in range(300))
    entry = only_entry(article(extra="").replace("Yang, Yan and Hu, Hailan", "{The Big Consortium} and " + authors))
    assert len(entry.authors) == 301
    page = render_study(entry, [], "#")
    assert "and 291 more" in page and "Author299 A" in page


def test_names_in_every_form():
    names = parse_names(r"Yang, Yan and Hailan Hu and van der Berg, Jan and Ludwig van Beethoven and {World Health Organization} and others")
    assert [(n.family, n.first) for n in names[:4]] == [("Yang", "Yan"), ("Hu", "Hailan"), ("van der Berg", "Jan"), ("van Beethoven", "Ludwig")]
    assert [(n.von, n.last) for n in names[2:4]] == [("van der", "Berg"), ("van", "Beethoven")]
    assert names[4].literal and names[4].last == "World Health Organization" and names[5].last == "others"


@pytest.mark.parametrize(("written", "von", "last", "jr", "first", "vancouver", "last_first"), [
    ("de la Fuente, Carlos", "de la", "Fuente", "", "Carlos", "de la Fuente C", "de la Fuente, Carlos"),
    ("Carlos de la Fuente", "de la", "Fuente", "", "Carlos", "de la Fuente C", "de la Fuente, Carlos"),
    ("King, Jr., Martin Luther", "", "King", "Jr.", "Martin Luther", "King ML Jr", "King, Martin Luther, Jr."),
    ("Smith, III, John B.", "", "Smith", "III", "John B.", "Smith JB III", "Smith, John B., III"),
    ("{van der Berg}, Jan", "", "van der Berg", "", "Jan", "van der Berg J", "van der Berg, Jan"),  # braces: one surname
    (r"{\"O}zt{\"u}rk, Ay{\c{s}}e", "", "Öztürk", "", "Ayşe", "Öztürk A", "Öztürk, Ayşe"),
    ("{Drug Enforcement Administration, U.S. Department of Justice}", "", "Drug Enforcement Administration, U.S. Department of Justice",
     "", "", "Drug Enforcement Administration, U.S. Department of Justice", "Drug Enforcement Administration, U.S. Department of Justice"),
])
def test_names_follow_bibtex_rules_for_particles_and_suffixes(written, von, last, jr, first, vancouver, last_first):
    (name,) = parse_names(written)
    assert (name.von, name.last, name.jr, name.first) == (von, last, jr, first)
    assert (name.vancouver(), name.last_first()) == (vancouver, last_first)


# Each broken input, and the one line it must produce.
REFUSED = [
    ("unbalanced braces", article("Unclosed {brace") + article().replace("yang2018ketamine", "next2019a"),
     ["references.bib:1: entry 'yang2018ketamine': unbalanced braces, the block is never closed"]),
    ("entry start that bibtexparser would drop", "@article{nocomma2020 title = {X}, year = {2020}}\n",
     ["references.bib:1: block could not be read, so it would be lost: Expected comma after entry key, but found ="]),
    ("duplicate keys", article() + article(),
     ["references.bib:7: duplicate key 'yang2018ketamine' (first defined on line 1)"]),
    ("duplicate keys differing in case", article() + article().replace("yang2018ketamine", "Yang2018Ketamine"),
     ["references.bib:7: duplicate key 'Yang2018Ketamine' (first defined on line 1)"]),
    ("duplicate fields", article(extra="\n  year = {2019},"),
     ["references.bib:6: entry 'yang2018ketamine': duplicate field 'year' (also on line 5)"]),
    ("missing required field", "@article{x2020a, author = {A, B}, title = {T}, year = {2020}}\n",
     ["references.bib:1: entry 'x2020a': missing required field 'journal or journaltitle' for @article"]),
    ("malformed DOI", article(extra="\n  doi = {10.1038 nature},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'doi' is not a DOI: '10.1038 nature'"]),
    ("malformed PMID", article(extra="\n  pmid = {PMID:29446381},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'pmid' is not a PubMed ID (digits 0-9 only): 'PMID:29446381'"]),
    ("malformed PMCID", article(extra="\n  pmcid = {12345},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'pmcid' is not a PubMed Central ID (PMC and digits 0-9): '12345'"]),
    ("javascript URL", article(extra="\n  url = {  JavaScript:alert(1)},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'url' is not an http(s) address: 'JavaScript:alert(1)'"]),
    ("key with no letter or digit", article().replace("yang2018ketamine", "::/"),
     ["references.bib:1: entry '::/': key has no letter or digit to name its study page (e.g. yang2018ketamine)"]),
    ("two keys, one study page", article().replace("yang2018ketamine", "yang2018/ketamine") + article().replace("yang2018ketamine", "Yang2018:Ketamine"),
     ["references.bib:7: entry 'Yang2018:Ketamine': its study page would be studies/Yang2018-Ketamine/, "
      "the page of entry 'yang2018/ketamine' (line 1); rename one of the keys"]),
    ("unknown entry type", article().replace("@article", "@artcle"),
     ["references.bib:1: entry 'yang2018ketamine': unknown entry type '@artcle' (did you mean '@article'?)"]),
    # A missing comma: the value would swallow the next field ("26 number = 6"), in every way a value is written.
    ("missing comma", article(extra="\n  volume = {26}\n  number = {6},\n  pages = {1--2},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'volume': a comma is missing after its value, before field 'number'"]),
    ("missing comma after a quoted value", article(extra='\n  volume = "26"\n  number = {6},'),
     ["references.bib:6: entry 'yang2018ketamine': field 'volume': a comma is missing after its value, before field 'number'"]),
    ("missing comma after a number", article().replace("year = {2018},", "year = 2018\n  volume = 26,"),
     ["references.bib:5: entry 'yang2018ketamine': field 'year': a comma is missing after its value, before field 'volume'"]),
    ("text after a value", article(extra="\n  volume = {26} {27},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'volume': text after the value: '{27}' (a missing comma or '#'?)"]),
    # A stray '}' ends the entry early: the fields after it would be dropped.
    ("stray brace", article().replace("title = {Ketamine blocks bursting}", "title = {Ketamine blocks bursting}}"),
     ["references.bib:3: entry 'yang2018ketamine' ends on this line, before its fields 'journal', 'year', which would be lost: a stray '}'?"]),
    ("stray brace after an entry", article() + "}\n" + article().replace("yang2018ketamine", "next2019a"),
     ["references.bib:7: a '}' after the end of entry 'yang2018ketamine': a stray '}'?"]),
    # Entry starts BibTeX would skip, with every field after them.
    ("entry start without a brace", article().replace("@article{yang2018ketamine,", "@article yang2018ketamine,"),
     ["references.bib:1: entry start '@article yang2018ketamine,' is malformed (expected '@type{key,'), so BibTeX would skip the entry"]),
    ("entry start with a space after '@'", article().replace("@article", "@ article"),
     ["references.bib:1: entry 'yang2018ketamine' would be dropped: its start is malformed (expected '@type{key,')"]),
    ("entry start without '@'", article().replace("@article", "article"),
     ["references.bib:2: fields 'author', 'title', 'journal', 'year' outside any entry, which would be lost: is the entry's '@type{key,' missing?"]),
    # '%' is no comment to BibTeX (or bibtexparser): an entry on a '%' line is read, a '%' line in an entry is part of it.
    ("entry on a '%' line", "% " + article().replace("yang2018ketamine", "old2017a") + article(),
     ["references.bib:1: entry 'old2017a' starts on a line that starts with '%': BibTeX reads it all the same "
      "('%' is no comment to it); delete the entry, or the '%'"]),
    ("'%' line inside an entry", article().replace("  journal", "% journal = {Old},\n  journal"),
     ["references.bib:4: entry 'yang2018ketamine': '% journal' is not a field name: BibTeX has no comments inside an entry, "
      "so a '%' line there is read as part of it; delete the line"]),
    ("'%' note inside an entry", article().replace("  journal", "% checked on PubMed\n  journal"),
     ["references.bib:4: entry 'yang2018ketamine': '% checked on PubMed\\n  journal' is not a field name: BibTeX has no "
      "comments inside an entry, so a '%' line there is read as part of it; delete the line"]),
    # Identifiers: checked after trimming, ASCII digits only, no trailing punctuation.
    ("DOI with a trailing full stop", article(extra="\n  doi = {10.1000/x.1.},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'doi' ends in '.' (pasted with the sentence's punctuation?); write '10.1000/x.1'"]),
    ("DOI address with a trailing comma", article(extra="\n  doi = { https://doi.org/10.1038/nature25509, },"),
     ["references.bib:6: entry 'yang2018ketamine': field 'doi' ends in ',' (pasted with the sentence's punctuation?); write '10.1038/nature25509'"]),
    ("DOI with a zero-width space", article(extra="\n  doi = {10.1038/nature\u200b25509},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'doi' is not a DOI: '10.1038/nature\\u200b25509'"]),
    ("PMID in Arabic-Indic digits", article(extra="\n  pmid = {\u0662\u0669\u0664\u0664},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'pmid' is not a PubMed ID (digits 0-9 only): '\u0662\u0669\u0664\u0664'"]),
    ("PMID with a full-width digit", article(extra="\n  pmid = {2944638\uff11},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'pmid' is not a PubMed ID (digits 0-9 only): '2944638\uff11'"]),
    ("PMCID in full-width digits", article(extra="\n  pmcid = {PMC\uff11\uff12},"),
     ["references.bib:6: entry 'yang2018ketamine': field 'pmcid' is not a PubMed Central ID (PMC and digits 0-9): 'PMC\uff11\uff12'"]),
    ("year in Arabic-Indic digits", article().replace("{2018}", "{\u0662\u0660\u0661\u0668}"),
     ["references.bib:5: entry 'yang2018ketamine': field 'year' is not a four-digit year: '\u0662\u0660\u0661\u0668'"]),
    ("NUL byte", article("Ketamine\x00 blocks"),
     ["references.bib:3:20: control character '\\x00' (U+0000); delete it"]),
]


@pytest.mark.parametrize(("case", "text", "expected"), REFUSED, ids=[c[0] for c in REFUSED])
def test_broken_input_gives_one_clear_line(case, text, expected):
    _, problems = load(text)
    assert [str(p) for p in problems] == expected


def test_bytes_that_are_not_utf8_name_their_line():
    data = article().encode().replace(b"Ketamine", b"Ketam\xe9ne")
    _, problems = load(data)
    assert [str(p) for p in problems] == ["references.bib:3:17: bytes that are not UTF-8 (0xe9); save the file as UTF-8"]


@pytest.mark.parametrize("key", ["yang\x1b[2J\x1b[31m2018", "yang\u200b2018\u202e", "yang\u2028\x85\x9b2018"])
def test_a_key_with_escape_sequences_or_invisible_characters_is_shown_escaped(key):
    _, problems = load(article().replace("yang2018ketamine", key))
    lines = [str(p) for p in problems]
    assert lines and all(line.isprintable() for line in lines), lines
    if "\x1b" in key:
        assert "references.bib:1:14: control character '\\x1b' (U+001B); delete it" in lines


def test_identifiers_are_trimmed_before_their_shape_is_checked():
    entry = only_entry(article(extra="\n  pmid = { 29446381 },\n  pmcid = { pmc5818 },\n  doi = { 10.1038/nature25509 },"))
    assert (entry.fields["pmid"], entry.fields["pmcid"], entry.doi) == ("29446381", "PMC5818", "10.1038/nature25509")


def test_comments_and_free_text_between_entries_are_not_mistaken_for_lost_fields():
    text = article() + "% checked = {yes}, on 2026-12-06\nExported by a reference manager.\n" + article().replace("yang2018ketamine", "next2019a")
    library, problems = load(text)
    assert problems == [] and list(library.entries) == ["yang2018ketamine", "next2019a"]


def test_every_problem_is_reported_in_one_run():
    text = article(extra="\n  pmid = {x},") + article() + "@article{nocomma2020 title = {X}}\n"
    _, problems = load(text)
    assert len(problems) == 3


@pytest.mark.parametrize(("key", "page"), [("1657:huyghens", "1657-huyghens"), ("averroes/bland", "averroes-bland"), ("пункт3", "пункт3"),
                                           ("https://example.com/bib?name=foobar&date=2000", "https-example.com-bib-name-foobar-date-2000"),
                                           ("Foo_bar.baz.", "Foo_bar.baz"), ("../../etc", "etc"), ("yang2018ketamine", "yang2018ketamine")])
def test_every_key_pandoc_can_cite_is_read_and_its_page_is_a_safe_file_name(key, page):
    entry = only_entry(f"@misc{{{key},\n  title = {{T}},\n  year = {{2000}},\n  publisher = {{P}}\n}}\n")
    assert entry.key == key and page_name(key) == page


def test_a_digit_first_key_leaves_suggestions_working():
    library = Library("references.bib", dict.fromkeys(["1657huyghens", "yang2018ketamine", "пункт3"]))
    assert library.suggest("yang2019") == "yang2018ketamine"
    assert library.suggest("1657huygens") == "1657huyghens"
    assert library.suggest("пункт4") == "пункт3"
    assert library.suggest("huyghens1657") is None
