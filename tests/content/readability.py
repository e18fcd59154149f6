"""Flesch-Kincaid grade level, with syllables counted from hyphenation dictionaries (pyphen), offline."""

from __future__ import annotations

import re

import pyphen

_DICTIONARY = pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    return max(1, len(_DICTIONARY.positions(word)) + 1)


def flesch_kincaid_grade(text: str) -> float:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*", text)
    total = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * total / len(words) - 15.59
