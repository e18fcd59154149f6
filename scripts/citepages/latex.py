"""LaTeX as BibTeX tools write it, turned into plain Unicode text."""

from __future__ import annotations

import re
import unicodedata

# Combining marks for the accent commands of plain TeX.
_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "b": "\u0331", "d": "\u0323",
}
_LETTERS = {
    "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "ss": "ß", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘",
    "textregistered": "®", "texttrademark": "™", "textdegree": "°", "textmu": "µ", "S": "§",
    "ldots": "…", "dots": "…", "textellipsis": "…", "textasciitilde": "~", "textbackslash": "\\",
}
_GREEK = {
    name: chr(code)
    for name, code in [
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5),
        ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9),
        ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0),
        ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3C6),
        ("varphi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393),
        ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0),
        ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9),
    ]
}
_MATH = {**_GREEK, "pm": "±", "times": "×", "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥",
         "approx": "≈", "sim": "∼", "to": "→", "rightarrow": "→", "cdot": "·", "infty": "∞",
         "prime": "′", "circ": "°", "%": "%"}
_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009"}

_ACCENT_RE = re.compile(
    r"""\\(?P<acc>["'`^~=.]|[uvHckrbd](?=[\s{]))\s*(?:\{\s*(?P<braced>\\?[A-Za-z])\s*\}|(?P<bare>\\?[A-Za-z]))"""
)
_COMMAND_RE = re.compile(r"\\(?:([A-Za-z]+)\s?|(.))")
_MATH_RE = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")


def _accent(match: re.Match) -> str:
    base = match["braced"] or match["bare"]
    if base in ("\\i", "\\j"):
        base = base[1]
    elif base.startswith("\\"):
        return match[0]
    return unicodedata.normalize("NFC", base + _ACCENTS[match["acc"]])


def _math(match: re.Match) -> str:
    body = match[1]
    body = re.sub(r"\\([A-Za-z]+)", lambda m: _MATH.get(m[1], m[1]), body)
    return re.sub(r"[\^_]\{?([^{}]*)\}?", r"\1", body).replace("{", "").replace("}", "")


def _command(match: re.Match) -> str:
    name = match[1] or match[2]
    if name in _LETTERS:
        return _LETTERS[name]
    if name in _ESCAPED:
        return _ESCAPED[name]
    if name in _GREEK:
        return _GREEK[name]
    return ""  # formatting commands (\emph, \textit, \url...) keep only their argument


_PLAIN_RE = re.compile(r"[\\$~{}`']|--|''|\s\s|[\t\r\n]")


def to_unicode(text: str) -> str:
    """Plain text for a BibTeX field value: accents, dashes, math, escapes and braces resolved."""
    if not _PLAIN_RE.search(text):  # most values hold no LaTeX at all
        return text.strip()
    text = _MATH_RE.sub(_math, text)
    text = _ACCENT_RE.sub(_accent, text)
    # Protect escaped characters from the brace and dash clean-up below.
    text = text.replace(r"\{", "\x00").replace(r"\}", "\x01")
    text = _COMMAND_RE.sub(_command, text)
    text = text.replace("{", "").replace("}", "").replace("\x00", "{").replace("\x01", "}")
    text = text.replace("---", "—").replace("--", "–").replace("~", "\u00a0")
    text = text.replace("``", "“").replace("''", "”")
    return re.sub(r"[ \t\r\n]+", " ", text).strip()
