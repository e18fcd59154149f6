"""One rendering reused for many pages: the output is always what rendering each page in full gives."""

from __future__ import annotations

import html

from citepages.skeleton import Skeletons, fill, leaves, with_leaves

PAGES = [{"id": f"p{i}", "title": f"Title {i} <&>", "body": f"Body {i}"} for i in range(6)]


def counted(template):
    """Render each page through `template`, in full and through Skeletons, counting the full renderings."""
    skeletons, calls = Skeletons(), []

    def render(page):
        def full():
            calls.append(page["id"])
            return template(page)
        values = {"title": page["title"], "body": page["body"]}
        return skeletons.render("one shape", values, full, lambda names: template({**page, **names}))

    return [render(page) for page in PAGES], calls, skeletons


def test_after_two_checked_pages_the_rendering_is_reused():
    outputs, calls, skeletons = counted(lambda p: f"<title>{p['title']}</title><h1>{p['title']}</h1><p>{p['body']}</p>")
    assert outputs == [f"<title>{p['title']}</title><h1>{p['title']}</h1><p>{p['body']}</p>" for p in PAGES]
    assert calls == ["p0", "p1"] and skeletons.differed == []


def test_a_value_the_template_shows_but_was_not_given_is_caught_on_the_second_page():
    outputs, calls, skeletons = counted(lambda p: f"<p>{p['body']}</p><!-- {p['id']} -->")
    assert outputs == [f"<p>{p['body']}</p><!-- {p['id']} -->" for p in PAGES]
    assert calls == [p["id"] for p in PAGES] and skeletons.differed == ["one shape"]


def test_a_value_the_template_transforms_is_caught_on_the_first_page():
    for transform in (html.escape, str.upper, lambda text: text.replace("<", "")):
        outputs, calls, skeletons = counted(lambda p: f"<p>{transform(p['title'])}</p>")
        assert outputs == [f"<p>{transform(p['title'])}</p>" for p in PAGES]
        assert len(calls) == len(PAGES) and skeletons.differed == ["one shape"]


def test_nested_values_by_path():
    data = {"title": "T", "share": {"jsonld": ["a", "b"], "url": "u"}, "search": {"exclude": True}}
    assert dict(leaves(data)) == {("search", "exclude"): True, ("share", "jsonld"): 2, ("share", "jsonld", 0): "a",
                                  ("share", "jsonld", 1): "b", ("share", "url"): "u", ("title",): "T"}
    assert with_leaves(data, {("share", "jsonld", 1): "B"})["share"]["jsonld"] == ["a", "B"]
    assert fill(["<p>", "x", "</p>"], {"x": "X"}) == "<p>X</p>"


def test_a_branch_on_a_longer_value_is_caught_when_the_longest_value_comes():
    # A template that shortens long titles: the first pages are short, a later one is longer than any before.
    pages = [{"id": f"p{i}", "title": "T" * (5 if i != 4 else 40), "body": f"Body {i}"} for i in range(6)]
    template = lambda p: f"<h1>{p['title'] if len(p['title']) < 30 else p['title'][:29] + '…'}</h1><p>{p['body']}</p>"  # noqa: E731
    skeletons, calls = Skeletons(), []

    def render(page):
        def full():
            calls.append(page["id"])
            return template(page)
        return skeletons.render("one shape", {"title": page["title"], "body": page["body"]}, full,
                                lambda names: template({**page, **names}))

    assert [render(p) for p in pages] == [template(p) for p in pages]
    assert "p4" in calls and skeletons.differed == ["one shape"]


def test_a_page_the_caller_asks_for_is_checked_in_full():
    skeletons, calls = Skeletons(), []
    template = lambda p: f"<p>{p['body']}</p>" + ("<footer>last</footer>" if p["id"] == "p5" else "")  # noqa: E731

    def render(page, check):
        def full():
            calls.append(page["id"])
            return template(page)
        return skeletons.render("one shape", {"body": page["body"]}, full, lambda names: template({**page, **names}), check=check)

    assert [render(p, check=p is PAGES[-1]) for p in PAGES] == [template(p) for p in PAGES]
    assert calls == ["p0", "p1", "p5"] and skeletons.differed == ["one shape"]
