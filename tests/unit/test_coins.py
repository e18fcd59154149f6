"""The COinS query, written without urllib, is the one urllib's urlencode writes."""

from __future__ import annotations

from urllib.parse import quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from citepages.render import form_quote


@settings(max_examples=500, deadline=None)  # the machine may be busy; this is no timing test
@given(st.text())
def test_form_quote_is_quote_plus(value):
    assert form_quote(value) == quote_plus(value, safe="")
