"""LaTeX as BibTeX tools write it, turned into plain Unicode text.

The symbol table covers what BibTeX writers emit (pylatexenc's `unicode_to_latex`, which bibtexparser
uses, Zotero, JabRef): tests/unit/test_latex.py holds it against pylatexenc's own tables. A command
that is in no table keeps the text of its argument and is reported, so that nothing is ever lost unseen.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks for the accent commands of plain TeX.
_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "b": "\u0331", "d": "\u0323",
}
_GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
          "omicron", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"]
# Each command a symbol, in text or math mode (BibTeX values mix them: `\ensuremath{\pm}`, `$\pm$`, `\textpm`).
SYMBOLS = {
    **{name: chr(0x3B1 + i) for i, name in enumerate(_GREEK)},
    **{name.capitalize(): chr(0x391 + i) for i, name in enumerate(_GREEK) if name != "varsigma"},
    "varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varpi": "ϖ", "varrho": "ϱ",
    # Letters
    "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "ss": "ß", "l": "ł", "L": "Ł",
    "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "dj": "đ", "DJ": "Đ", "ng": "ŋ", "NG": "Ŋ",
    "ij": "ĳ", "IJ": "Ĳ",
    # Text symbols
    "textgreater": ">", "textless": "<", "textbar": "|", "textbackslash": "\\", "textasciitilde": "~",
    "textasciicircum": "^", "textunderscore": "_", "textbraceleft": "{", "textbraceright": "}", "textdollar": "$",
    "textquotedbl": '"', "textquotesingle": "'", "textasciigrave": "`",
    "textendash": "–", "textemdash": "—", "textminus": "−", "textellipsis": "…",
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
    "quotesinglbase": "‚", "quotedblbase": "„", "guillemotleft": "«", "guillemotright": "»",
    "guilsinglleft": "‹", "guilsinglright": "›", "textexclamdown": "¡", "textquestiondown": "¿",
    "textdegree": "°", "textcelsius": "℃", "textmu": "µ", "textohm": "\u2126", "textpm": "±", "textmp": "∓",
    "texttimes": "×", "textdiv": "÷", "textlnot": "¬", "textperiodcentered": "·", "textbullet": "•",
    "textperthousand": "‰", "textpertenthousand": "‱", "textonehalf": "½", "textonequarter": "¼",
    "textthreequarters": "¾", "textonesuperior": "¹", "texttwosuperior": "²", "textthreesuperior": "³",
    "textordfeminine": "ª", "textordmasculine": "º", "textnumero": "№", "textestimated": "℮",
    "textleftarrow": "←", "textrightarrow": "→", "textuparrow": "↑", "textdownarrow": "↓",
    "textregistered": "®", "texttrademark": "™", "textcopyright": "©", "copyright": "©", "textcircledP": "℗",
    "textservicemark": "℠", "textsection": "§", "S": "§", "textparagraph": "¶", "P": "¶",
    "textdagger": "†", "dag": "†", "textdaggerdbl": "‡", "ddag": "‡", "textbrokenbar": "¦",
    "textasciimacron": "¯", "textasciiacute": "´", "textasciidieresis": "¨", "textcurrency": "¤",
    "texteuro": "€", "textsterling": "£", "pounds": "£", "textyen": "¥", "textcent": "¢",
    "textasteriskcentered": "⁎", "textvisiblespace": "␣", "textcompwordmark": "\u200c",
    "ldots": "…", "dots": "…", "cdots": "⋯",
    # Math symbols
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "ast": "∗", "star": "⋆", "bullet": "∙", "circ": "∘",
    "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥", "leqslant": "⩽", "geqslant": "⩾", "neq": "≠", "ne": "≠",
    "ll": "≪", "gg": "≫", "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝",
    "lesssim": "≲", "gtrsim": "≳", "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫",
    "sqrt": "√", "prime": "′", "degree": "°", "perp": "⊥", "parallel": "∥", "mid": "|", "neg": "¬", "lnot": "¬",
    "wedge": "∧", "vee": "∨", "cap": "∩", "cup": "∪", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂",
    "supset": "⊃", "subseteq": "⊆", "supseteq": "⊇", "emptyset": "∅", "varnothing": "∅", "forall": "∀",
    "exists": "∃", "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "uparrow": "↑", "downarrow": "↓", "longrightarrow": "⟶",
    "longleftarrow": "⟵", "mapsto": "↦", "langle": "⟨", "rangle": "⟩", "hbar": "ħ", "ell": "ℓ", "aleph": "ℵ",
    "backslash": "\\",
}
# Single-character commands: escaped specials and spacing.
_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", "~": "~", "^": "^",
            " ": " ", "\\": " ", ",": "\u2009", ";": " ", ":": " ", ">": " ", "!": "", "-": "", "/": "", "@": ""}
# Commands that only format or wrap their argument (which is kept), or that change the font until the group ends.
FORMATTING = {
    "emph", "textit", "textbf", "textsc", "textsl", "textrm", "textsf", "texttt", "textup", "textmd", "textnormal",
    "text", "mbox", "hbox", "url", "ensuremath", "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathnormal",
    "operatorname", "mkbibquote", "mkbibemph", "mkbibitalic", "mkbibbold", "enquote", "NoCaseChange", "nocase",
    "em", "it", "bf", "sc", "rm", "sl", "sf", "tt", "itshape", "bfseries", "scshape", "upshape", "slshape", "mdseries",
    "normalfont", "ttfamily", "sffamily", "rmfamily", "relax", "protect", "left", "right", "quad", "qquad",
    "newline", "linebreak", "allowbreak", "nobreak", "xspace",
}
_SPACES = {"quad", "qquad", "newline", "linebreak"}
_SUPERSCRIPT = dict(zip("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ"))
_SUBSCRIPT = dict(zip("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"))

_ARG = r"(?:\{(?P<NAME>(?:[^{}]|\{[^{}]*\})*)\}|(?P<NAME1>\\[A-Za-z]+|[^\s{}\\]))"
_TEXT_TOKENS = [
    r"""\\(?P<acc>["'`^~=.]|[uvHckrbd](?=[\s{]))\s*(?:\{\s*(?P<braced>\\[A-Za-z]+|[A-Za-z])\s*\}|(?P<bare>\\[A-Za-z]+|[A-Za-z]))""",
    r"(?<!\\)\$(?P<math>.+?)(?<!\\)\$",
    r"\\text(?P<script>super|sub)script\s*" + _ARG.replace("NAME", "sarg"),
    r"\\(?P<word>[A-Za-z]+)[ \t\n]*",  # TeX drops the spaces after a command's name
    r"\\(?P<char>.)",
    r"(?P<lig>---|--|``|''|~)",
    r"(?P<brace>[{}])",
]
_TEXT_RE = re.compile("|".join(_TEXT_TOKENS), re.DOTALL)
# In math, ^ and _ make superscripts and subscripts too.
_MATH_RE = re.compile("|".join([r"(?P<op>[\^_])\s*" + _ARG.replace("NAME", "marg"), *_TEXT_TOKENS]), re.DOTALL)
_LIGATURES = {"---": "—", "--": "–", "``": "“", "''": "”", "~": "\u00a0"}


def _script(text: str, superscript: bool) -> str:
    """Text as superscript or subscript characters where Unicode has them all; a superscript it cannot
    write keeps its mark ("x^ab"), so that 10^-3 never reads as 10-3."""
    table = _SUPERSCRIPT if superscript else _SUBSCRIPT
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    if superscript and text == "∘":  # `$^\circ$`: the degree sign
        return "°"
    return "^" + text if superscript and text else text


def _decode(text: str, unknown: list[str] | None, pattern: re.Pattern = _TEXT_RE) -> str:
    def token(m: re.Match) -> str:
        groups = m.groupdict()
        if groups["acc"]:
            base = groups["braced"] or groups["bare"]
            if base in ("\\i", "\\j"):
                base = base[1]
            elif base.startswith("\\"):
                base = _decode(base, unknown, pattern)
            return unicodedata.normalize("NFC", base + _ACCENTS[groups["acc"]])
        if groups["math"] is not None:
            return _decode(groups["math"], unknown, _MATH_RE)
        if groups["script"] or groups.get("op"):
            arg = next(groups[g] for g in ("sarg", "sarg1", "marg", "marg1") if groups.get(g) is not None)
            return _script(_decode(arg, unknown, pattern), groups["script"] == "super" or groups.get("op") == "^")
        if groups["word"]:
            name = groups["word"]
            if name in SYMBOLS:
                return SYMBOLS[name]
            if name in FORMATTING:
                return " " if name in _SPACES else ""
            if unknown is not None:
                unknown.append(name)
            return ""  # its argument, if any, follows as ordinary text and is kept
        if groups["char"] is not None:
            char = groups["char"]
            if char in _ESCAPED:
                return _ESCAPED[char]
            if unknown is not None:
                unknown.append(char)
            return char
        if groups["lig"]:
            return _LIGATURES[groups["lig"]]
        return ""  # a grouping brace

    return pattern.sub(token, text)


_PLAIN_RE = re.compile(r"[\\$~{}`']|--|''|\s\s|[\t\r\n]")


def to_unicode(text: str, unknown: list[str] | None = None) -> str:
    """Plain text for a BibTeX field value: accents, symbols, dashes, math, escapes and braces resolved.

    With `unknown`, the name of each command in no table is appended to it (its argument's text is kept)."""
    if not _PLAIN_RE.search(text):  # most values hold no LaTeX at all
        return text.strip()
    return re.sub(r"[ \t\r\n]+", " ", _decode(text, unknown)).strip()
