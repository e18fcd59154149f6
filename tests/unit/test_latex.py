"""LaTeX decoding held against pylatexenc: its decoder's tables, and its encoder, which bibtexparser and other BibTeX writers use."""

from __future__ import annotations

import pytest
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexencode import unicode_to_latex

from citepages.bib import load_library
from citepages.latex import FORMATTING, SYMBOLS, to_unicode

# Where we decode a command differently from pylatexenc's latex2text, and why.
DIFFERENT = {
    "epsilon": ("ϵ", "ε"),  # the Greek letter a reader types and searches for, not the lunate glyph TeX draws
    "phi": ("ϕ", "φ"),  # likewise
    "textasciicircum": ("ˆ", "^"),  # pylatexenc's own encoder writes \textasciicircum for "^"
    "textperiodcentered": ("˙", "·"),  # likewise for "·"; "˙" is the dot accent
    "prime": ("'", "′"),  # the prime sign, as in 5′-UTR
    "sqrt": ("√()", "√"),  # with its argument after it, as written: \sqrt{2} is √2
}
# The commands the issue names, each with the character it must give.
NAMED = {r"\textgreater{}": ">", r"\textless{}": "<", r"\%": "%", r"\&": "&", r"\textasciitilde{}": "~",
         r"\textdegree{}": "°", r"\textmu{}": "µ", r"$\pm$": "±", r"\textpm{}": "±", "--": "–", "---": "—",
         r"\textendash{}": "–", r"\textemdash{}": "—"}


# Commands pylatexenc's decoder does not know, with the character each stands for in LaTeX (textcomp, amssymb, gensymb).
NOT_IN_PYLATEXENC = {
    "textgreater": ">", "textless": "<", "textbar": "|", "textunderscore": "_", "textbraceleft": "{", "textbraceright": "}",
    "textquotedbl": '"', "textminus": "−", "copyright": "©", "S": "§", "P": "¶", "ddag": "‡", "pounds": "£", "ne": "≠",
    "degree": "°", "neg": "¬",
}


def pylatexenc(latex: str) -> str:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True).latex_to_text(latex)


def expected_char(name: str) -> str:
    """What `\\name` stands for, from pylatexenc's tables or the lists above: never from our own table."""
    if name in NOT_IN_PYLATEXENC:
        return NOT_IN_PYLATEXENC[name]
    return DIFFERENT[name][1] if name in DIFFERENT else pylatexenc(f"\\{name}{{}}")


@pytest.mark.parametrize("latex", NAMED)
def test_the_commands_bibtex_tools_write_decode_to_their_character(latex):
    unknown: list[str] = []
    assert to_unicode(f"a {latex}5 b", unknown) == f"a {NAMED[latex]}5 b"
    assert unknown == []


def test_every_symbol_agrees_with_pylatexenc_or_is_listed_with_a_reason():
    assert {name: char for name, char in SYMBOLS.items() if char != expected_char(name)} == {}
    assert len(SYMBOLS) >= 230
    # The lists above stay honest: pylatexenc lacks exactly those, and decodes these others differently.
    known = LatexNodes2Text().latex_context.get_macro_spec
    lacking = {n for n in SYMBOLS if known(n) is None or pylatexenc(f"\\{n}{{}}") == f"\\{n}"}
    assert lacking == set(NOT_IN_PYLATEXENC)
    assert {n: pylatexenc(f"\\{n}{{}}") for n in DIFFERENT} == {n: theirs for n, (theirs, _) in DIFFERENT.items()}


@pytest.mark.parametrize("char", [
    *"<>%&~^_\\$#{}", *"°µμ±∓×÷·•–—‘’“”…®™©§¶†‡€£¥¢¡¿«»‰²³¹½¼¾←→↑↓↔ªº¬¦¯´¨\u00a0",
    *"≤≥≠≈∞∼≡∝∂∇∑∏∫∈∅∀∃⟨⟩αβγδεζηθικλνξπρσςτυφχψωΓΔΘΛΞΠΣΦΨΩ",
    *"øØæÆœŒåÅßłŁıðÐþÞéüñçčšžőąřėĩÖ",
])
def test_what_pylatexenc_encodes_decodes_back(char):
    """pylatexenc's encoder is how bibtexparser and many other tools write a character as LaTeX."""
    latex = unicode_to_latex(char)
    unknown: list[str] = []
    assert to_unicode(f"a{latex}b", unknown) == f"a{char}b", latex
    assert unknown == [], latex


@pytest.mark.parametrize(("latex", "text"), [
    (r"10$^{-3}$ M", "10⁻³ M"), (r"IC$_{50}$", "IC₅₀"), (r"37 $^\circ$C", "37 °C"), (r"CO$_2$", "CO₂"),
    (r"$x^{ab}$", "x^ab"), (r"m\textsuperscript{2}", "m²"), (r"5-HT\textsubscript{2A}", "5-HT2A"),
    (r"\emph{Nature} \ensuremath{\geq} 3", "Nature ≥ 3"), (r"na\~{}ve", "na~ve"), (r"{\"O}zt{\"u}rk", "Öztürk"),
    (r"\'{\i}", "í"), (r"N\textordmasculine{} 5", "Nº 5"), ("``quoted''", "“quoted”"), ("a~b", "a\u00a0b"),
])
def test_scripts_quotes_and_accents_keep_their_meaning(latex, text):
    unknown: list[str] = []
    assert to_unicode(latex, unknown) == text
    assert unknown == []


def test_an_unknown_command_keeps_its_text_and_is_named():
    unknown: list[str] = []
    assert to_unicode(r"dose \foo{of 5 mg} and \bar", unknown) == "dose of 5 mg and"
    assert unknown == ["foo", "bar"]
    assert "foo" not in SYMBOLS and "foo" not in FORMATTING


def test_an_unknown_command_gives_one_located_warning_per_field():
    bib = ("@article{a2020x,\n  author = {Doe, Jane},\n  title = {Ketamine at \\foo{5} mg/kg\n    and again \\foo{6}},\n"
           "  journal = {J \\bar}, year = {2020},\n}\n")
    library, problems = load_library(bib.encode())
    assert [str(p) for p in problems] == [
        "references.bib:3: warning: entry 'a2020x': field 'title': unknown LaTeX command \\foo (its argument's text is kept; write the character itself)",
        "references.bib:5: warning: entry 'a2020x': field 'journal': unknown LaTeX command \\bar (its argument's text is kept; write the character itself)",
    ]
    assert library.entries["a2020x"].title == "Ketamine at 5 mg/kg and again 6"
