"""What is written faster than the standard library writes it is what the standard library writes: the COinS query
(urllib's quote_plus) and the indented CSL-JSON (json.dumps)."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from citepages.render import form_quote
from citepages.sharing import indented_json


@settings(max_examples=500)
@given(st.text())
def test_form_quote_is_quote_plus(value):
    assert form_quote(value) == quote_plus(value, safe="")


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4), max_leaves=20)


@settings(max_examples=300)
@given(JSON)
def test_indented_json_is_what_json_writes(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
