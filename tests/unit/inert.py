"""One check shared by the hostile-input tests: output holds no markup but ours."""

from __future__ import annotations

import re


def assert_only_our_markup(text: str, our_tags: set[str]) -> None:
    """No tag outside `our_tags`, no event handler, no script address, no live Markdown link or template syntax."""
    for tag in re.findall(r"<[^>]*>", text):
        name = re.match(r"</?([a-zA-Z0-9]+)", tag)
        assert name and name[1].lower() in our_tags, f"foreign tag {tag!r}"
        assert not re.search(r"\son\w+\s*=", tag, re.IGNORECASE), f"event handler in {tag!r}"
        assert "javascript:" not in tag.lower(), f"script address in {tag!r}"
    for needle in ("{{", "{%", "](javascript", "**bold**", "<script"):
        assert needle not in text, f"{needle!r} survives in output"
