"""Names read the fast way are read exactly as bibtexparser reads them (BibTeX's rules)."""

from __future__ import annotations

from bibtexparser.middlewares.names import parse_single_name_into_parts
from hypothesis import example, given, settings
from hypothesis import strategies as st

from citepages.bib import _plain_name_parts, parse_names
from tests.conftest import ROOT

WORD = st.text(alphabet="AaBbÉéZz'.-3", min_size=1, max_size=6)
SPACE = st.sampled_from([" ", "  ", "\n", "\t"])
NAME = st.lists(st.tuples(WORD, SPACE), min_size=1, max_size=4).map(lambda parts: "".join(w + s for w, s in parts).strip())


@settings(max_examples=600)
@given(NAME, st.one_of(st.none(), NAME), st.sampled_from([",", ", ", " , ", ",\n"]))
@example("Doe", "Jane", ", ")
@example("Van Dyke", "John", ", ")
@example("Jane Q. Doe", None, "")
@example("Doe", "", ",")
def test_plain_names_are_read_as_bibtexparser_reads_them(before, after, comma):
    piece = before if after is None else f"{before}{comma}{after}"
    piece = piece.strip()
    fast = _plain_name_parts(piece)
    if fast is not None:
        assert fast == parse_single_name_into_parts(piece, strict=False), piece


def test_most_names_of_the_real_bibliography_take_the_fast_way():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    pieces = [p.strip() for value in __import__("re").findall(r"author\s*=\s*\{(.*?)\},?\n", text) for p in value.split(" and ")]
    fast = [p for p in pieces if _plain_name_parts(p) is not None]
    assert len(fast) > len(pieces) / 2
    for piece in fast:
        assert _plain_name_parts(piece) == parse_single_name_into_parts(piece, strict=False), piece
    assert [n.last for n in parse_names("Doe, Jane and van der Berg, Anna and {World Health Organization}")] == ["Doe", "Berg", "World Health Organization"]
