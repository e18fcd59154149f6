"""The figures come from the data, carry their text alternatives, link relative to their page, and escape the bibliography."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.inert import assert_only_our_markup
from citepages.render import relative_link
from citepages.bib import STUDY_TYPES, load_library
from factcheck import figures

BIB = r"""@article{trial2001a,
  author = {Able, Ann and Baker, Bob and Cole, Cy},
  title = {A trial},
  journal = {J},
  year = {2001},
  studytype = {rct},
  onset_hours = {0.67},
  lasting_hours = {168}
}
@article{trial2005b,
  author = {Dean, Dee},
  title = {Another trial},
  journal = {J},
  year = {2005},
  studytype = {rct},
  milestone = {First big trial},
  onset_hours = {24}
}
@article{open2010c,
  author = {Eve, Ed and Fox, Flo},
  title = {An open-label study},
  journal = {J},
  year = {2010},
  studytype = {open-label},
  lasting_hours = {336}
}
@article{rat2012d,
  author = {Gray, Gil and others},
  title = {Rats},
  journal = {J},
  year = {2012},
  studytype = {animal},
  milestone = {Synapses in rats}
}
@article{review2014e,
  author = {Hill, H.},
  title = {A review},
  journal = {J},
  year = {2014},
  studytype = {review},
  milestone = {An early history},
  milestone_year = {1964}
}
@article{meta2016f,
  author = {Ives, I. and Jay, J.},
  title = {A meta-analysis},
  journal = {J},
  year = {2016},
  studytype = {meta-analysis}
}
@misc{agency2019g,
  author = {{Agency for Medicines}},
  title = {An approval},
  year = {2019},
  studytype = {regulatory},
  milestone = {A drug is approved}
}
@article{cohort2020h,
  author = {Kay, K.},
  title = {A cohort},
  journal = {J},
  year = {2020},
  studytype = {observational}
}
"""

CLAIMS = {
    "claims/second.md": {"claim_number": 2, "title": "Second claim?", "verdict": "Misleading", "certainty": "Very low"},
    "claims/first.md": {"claim_number": 1, "title": "First claim?", "verdict": "Mostly accurate", "certainty": "Moderate"},
}
CITED_KEYS = {
    "claims/first.md": ["trial2001a", "trial2005b", "trial2001a", "review2014e", "meta2016f", "agency2019g"],
    "claims/second.md": ["rat2012d", "open2010c", "cohort2020h"],
}
KIND_SLUGS = [kind.slug for kind in figures.KINDS]


@pytest.fixture
def library():
    lib, problems = load_library(BIB.encode())
    assert problems == []
    return lib


def cited_of(library, keys=CITED_KEYS):
    return {src: [library.entries[k] for k in ks] for src, ks in keys.items()}


# A small DOM, enough to ask questions of the figures' HTML -----------------------------------------------------------

VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Descendants by tag and attributes: class_="x" matches one class; data_claim="y" is the attribute data-claim."""
        def matches(node: Node) -> bool:
            if tag is not None and node.tag != tag:
                return False
            for key, value in attrs.items():
                if key == "class_":
                    if value not in (node.attrs.get("class") or "").split():
                        return False
                elif node.attrs.get(key.replace("_", "-")) != value:
                    return False
            return True
        return [n for n in self.iter() if matches(n)]

    def find(self, tag: str | None = None, **attrs) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        assert tag not in VOID, f"end tag for void element <{tag}>"
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_raw_html_block(text: str) -> None:
    """Python-Markdown keeps a block as raw HTML only if no line in it is blank or indented like code."""
    assert text.startswith("<") and text.endswith("\n")
    for line in text.rstrip("\n").split("\n"):
        assert line.strip(), "blank line inside the figure"
        assert not line.startswith((" ", "\t")), f"indented line: {line[:40]!r}"


# Links ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_src", "target", "expected"),
    [
        ("index.md", "studies/x/", "studies/x/"),
        ("index.md", "claims/y/", "claims/y/"),
        ("claims/a.md", "studies/x/", "../../studies/x/"),
        ("claims/a.md", "claims/y/", "../y/"),
        ("claims/a.md", "claims/a/", "./"),
        ("claims/index.md", "claims/y/", "y/"),
        ("claims/index.md", "studies/x/", "../studies/x/"),
        ("about/deep/page.md", "studies/x/", "../../../studies/x/"),
    ],
)
def test_links_are_relative_to_the_page(from_src, target, expected):
    assert relative_link(target, from_src) == expected


def test_page_url():
    assert figures.page_url("index.md") == ""
    assert figures.page_url("claims/index.md") == "claims/"
    assert figures.page_url("claims/x.md") == "claims/x/"


# Evidence map ----------------------------------------------------------------------------------------------------------


def cells_by_kind(root: Node, src: str) -> dict[str, Node]:
    row = root.find("tr", data_claim=src)
    return dict(zip(KIND_SLUGS, row.find_all("td"), strict=True))


def test_evidence_map_counts_each_kind_and_links_to_the_studies(library):
    out = figures.evidence_map(CLAIMS, cited_of(library), "index.md")
    assert_raw_html_block(out)
    root = dom(out)
    first = cells_by_kind(root, "claims/first.md")
    counts = {slug: int(cell.attrs["data-count"]) for slug, cell in first.items()}
    # trial2001a is cited twice on the page and counted once; review and meta-analysis share a column.
    assert counts == {"rct": 2, "open-label": 0, "observational": 0, "animal": 0, "review": 2, "history": 0, "regulatory": 1}
    assert [a.attrs["href"] for a in first["rct"].find_all("a")] == ["studies/trial2001a/", "studies/trial2005b/"]
    assert [a.text() for a in first["rct"].find_all("a")] == ["Able et al. 2001", "Dean 2005"]
    assert first["regulatory"].find("a").text() == "Agency for Medicines 2019"
    second = cells_by_kind(root, "claims/second.md")
    assert {slug: int(cell.attrs["data-count"]) for slug, cell in second.items()} == {
        "rct": 0, "open-label": 1, "observational": 1, "animal": 1, "review": 0, "history": 0, "regulatory": 0}


def test_evidence_map_rows_follow_claim_number_and_link_to_the_claims(library):
    root = dom(figures.evidence_map(CLAIMS, cited_of(library), "claims/first.md"))
    headers = root.find("tbody").find_all("th", scope="row")
    assert [h.find("a").attrs["href"] for h in headers] == ["./", "../second/"]
    assert squash(headers[0].find("a").text()) == "1. First claim?"
    assert root.find("td", class_="evidence-map__cell--moderate").find("a").attrs["href"] == "../../studies/trial2001a/"


def test_evidence_map_follows_the_verdict_the_certainty_and_the_study_types(library):
    base = figures.evidence_map(CLAIMS, cited_of(library), "index.md")
    changed_claims = copy.deepcopy(CLAIMS)
    changed_claims["claims/first.md"].update(verdict="Incorrect", certainty="High")
    changed = dom(figures.evidence_map(changed_claims, cited_of(library), "index.md"))
    row = changed.find("tr", data_claim="claims/first.md")
    assert row.find("span", class_="verdict").text() == "Incorrect"
    assert "verdict--incorrect" in row.find("span", class_="verdict").attrs["class"]
    assert "High" in row.find("span", class_="certainty").text()
    assert row.find_all("td", class_="evidence-map__cell--high") and not row.find_all("td", class_="evidence-map__cell--moderate")
    assert "verdict--mostly-accurate" in base and "Mostly accurate" in base

    library.entries["trial2005b"].fields["studytype"] = "animal"
    moved = cells_by_kind(dom(figures.evidence_map(CLAIMS, cited_of(library), "index.md")), "claims/first.md")
    assert moved["rct"].attrs["data-count"] == "1" and moved["animal"].attrs["data-count"] == "1"
    assert moved["animal"].find("a").attrs["href"] == "studies/trial2005b/"


def test_every_study_type_a_claim_can_cite_has_a_column_of_the_evidence_map(library):
    # Methods guidance (the GRADE papers) backs the methodology page, never a claim.
    assert set().union(*(kind.studytypes for kind in figures.KINDS)) == set(STUDY_TYPES) - {"methods"}
    library.entries["trial2005b"].fields["studytype"] = "history"
    moved = cells_by_kind(dom(figures.evidence_map(CLAIMS, cited_of(library), "index.md")), "claims/first.md")
    assert moved["history"].attrs["data-count"] == "1" and moved["rct"].attrs["data-count"] == "1"
    assert moved["history"].find("a").attrs["href"] == "studies/trial2005b/"


def test_evidence_map_is_its_own_text_alternative(library):
    root = dom(figures.evidence_map(CLAIMS, cited_of(library), "index.md"))
    wrapper = root.find(id="evidence-map")
    table = wrapper.find("table")
    assert "Evidence map" in table.find("caption").text()
    assert [squash(th.text()) for th in table.find("thead").find_all("th", scope="col")][1:] == [k.label for k in figures.KINDS]
    assert len(table.find("tbody").find_all("th", scope="row")) == len(CLAIMS)
    scroller = table.parent
    assert scroller.attrs["tabindex"] == "0" and scroller.attrs["aria-label"] and scroller.attrs["role"] == "region"
    # Colour is never alone: each row says its verdict and certainty in words, and the legend names every shade.
    for row in table.find("tbody").find_all("tr"):
        assert row.find("span", class_="verdict").text() and row.find("span", class_="certainty").text().strip()
    assert [squash(li.text()) for li in wrapper.find("ul", class_="evidence-map__legend").find_all("li")] == [
        "⊕⊕⊕⊕ High", "⊕⊕⊕◯ Moderate", "⊕⊕◯◯ Low", "⊕◯◯◯ Very low"]


def test_evidence_map_cells_name_their_kind_for_the_phone_layout(library):
    # On a phone the column headings are hidden and each claim is a block: a cell with studies must say what they are.
    first = cells_by_kind(dom(figures.evidence_map(CLAIMS, cited_of(library), "index.md")), "claims/first.md")
    labels = {kind.slug: kind.label for kind in figures.KINDS}
    for slug, cell in first.items():
        if cell.attrs["data-count"] == "0":
            assert not cell.find_all("span", class_="evidence-map__cell-kind")
        else:
            assert squash(cell.find("summary").text()).startswith(f"{labels[slug]}: {cell.attrs['data-count']} ")


def test_evidence_map_with_a_claim_that_cites_nothing(library):
    root = dom(figures.evidence_map(CLAIMS, {}, "index.md"))
    assert {c.attrs["data-count"] for c in root.find_all("td")} == {"0"}
    assert not root.find_all("a", href="studies/trial2001a/")


# Timeline --------------------------------------------------------------------------------------------------------------


def test_timeline_lists_the_milestones_in_year_order(library):
    out = figures.timeline(list(library.entries.values()), "index.md")
    assert_raw_html_block(out)
    root = dom(out)
    items = root.find(id="timeline").find("ol").find_all("li")
    assert [li.find("time").attrs["datetime"] for li in items] == ["1964", "2005", "2012", "2019"]
    assert [li.find("a").text() for li in items] == [
        "An early history", "First big trial", "Synapses in rats", "A drug is approved"]
    assert [li.find("a").attrs["href"] for li in items] == [
        "studies/review2014e/", "studies/trial2005b/", "studies/rat2012d/", "studies/agency2019g/"]
    assert "Hill 2014" in items[0].text() and "review" in items[0].text()


def test_timeline_follows_the_data(library):
    library.entries["review2014e"].fields["milestone_year"] = "2030"
    library.entries["cohort2020h"].fields["milestone"] = "A new milestone"
    del library.entries["rat2012d"].fields["milestone"]
    root = dom(figures.timeline(list(library.entries.values()), "claims/x.md"))
    items = root.find("ol").find_all("li")
    assert [li.find("a").text() for li in items] == [
        "First big trial", "A drug is approved", "A new milestone", "An early history"]
    assert items[0].find("a").attrs["href"] == "../../studies/trial2005b/"


def test_timeline_text_alternative_and_a_bad_year(library):
    library.entries["review2014e"].fields["milestone_year"] = "sixties"
    root = dom(figures.timeline([library.entries["review2014e"]], "index.md"))
    figure = root.find("figure", id="timeline")
    caption_id = figure.find("figcaption").attrs["id"]
    assert figure.find("ol").attrs["aria-labelledby"] == caption_id
    assert figure.find("time").attrs["datetime"] == "2014"  # falls back to the entry's year


def test_timeline_without_milestones():
    root = dom(figures.timeline([], "index.md"))
    assert root.find("figure", id="timeline").find("p").text() == "No milestones recorded yet."


# Duration strip --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "text"),
    [(0.67, "40 minutes"), (1 / 60, "1 minute"), (1, "1 hour"), (1.5, "1.5 hours"), (24, "24 hours"), (72, "3 days"),
     (168, "7 days"), (336, "2 weeks"), (2016, "12 weeks")],
)
def test_duration_text(hours, text):
    assert figures.duration_text(hours) == text


def test_scale_runs_from_an_hour_to_twelve_weeks_and_widens_for_figures_outside():
    assert figures.scale([2, 100]) == (1.0, 2016.0)
    assert figures.scale([0.67, 100]) == (0.5, 2016.0)
    assert figures.scale([3000]) == (1.0, 4032)
    assert figures.position(1, 1, 2016) == 0 and figures.position(2016, 1, 2016) == 100
    assert figures.position(24, 1, 2016) == pytest.approx(100 * 3.178 / 7.609, abs=0.01)


def marks(root: Node) -> list[tuple[str, str, str]]:
    """(which, position, text) for each mark, in order."""
    return [(next(c for c in a.attrs["class"].split() if c.endswith(("--onset", "--lasting"))).split("--")[1],
             re.search(r"--at: ([\d.]+%)", a.attrs["style"])[1], squash(a.text()))
            for a in root.find_all("a", class_="duration-strip__mark")]


def test_duration_strip_marks_each_figure_and_links_it_to_its_source(library):
    out = figures.duration_strip(list(library.entries.values()), "claims/how-long.md")
    assert_raw_html_block(out)
    root = dom(out)
    lanes = root.find("ol", class_="duration-strip__lanes").find_all("li")
    who = [squash(lane.find("span", class_="duration-strip__who").text()) for lane in lanes]
    assert who == ["Able et al. 2001", "Dean 2005", "Eve & Fox 2010"]
    found = marks(root)
    assert [(which, text) for which, _, text in found] == [
        ("onset", "Able et al. 2001, First seen at 40 minutes"),
        ("lasting", "Able et al. 2001, Still seen at 7 days"),
        ("onset", "Dean 2005, First seen at 24 hours"),
        ("lasting", "Eve & Fox 2010, Still seen at 2 weeks"),
    ]
    # 40 minutes widens the scale to start at 30 minutes.
    assert float(found[0][1].rstrip("%")) == pytest.approx(figures.position(0.67, 0.5, 2016), abs=0.01)
    hrefs = [a.attrs["href"] for a in root.find_all("a", class_="duration-strip__mark")]
    assert hrefs == ["../../studies/trial2001a/"] * 2 + ["../../studies/trial2005b/", "../../studies/open2010c/"]
    assert len(root.find_all("span", class_="duration-strip__range")) == 1  # only a source with both figures has a range


def test_duration_strip_has_a_table_with_the_same_figures(library):
    root = dom(figures.duration_strip(list(library.entries.values()), "index.md"))
    figure = root.find("figure", id="duration-strip")
    assert figure.find("figcaption").text()
    scroller = figure.find("div", class_="fig-scroll")
    assert scroller.attrs["tabindex"] == "0" and scroller.attrs["aria-label"]
    table = scroller.find("table")
    assert table.find("caption").text()
    rows = [[squash(cell.text()) for cell in tr.find_all() if cell.tag in ("th", "td")]
            for tr in table.find("tbody").find_all("tr")]
    assert rows == [
        ["Able et al. 2001", "Randomised controlled trial", "40 minutes", "7 days"],
        ["Dean 2005", "Randomised controlled trial", "24 hours", "Not given"],
        ["Eve & Fox 2010", "Open-label study", "Not given", "2 weeks"],
    ]
    assert table.find("a").attrs["href"] == "studies/trial2001a/"


def test_duration_strip_follows_the_data(library):
    entries = [library.entries["trial2001a"]]
    before = marks(dom(figures.duration_strip(entries, "index.md")))
    library.entries["trial2001a"].fields["lasting_hours"] = "2016"
    after = marks(dom(figures.duration_strip(entries, "index.md")))
    assert before[1][2].endswith("7 days") and after[1][2].endswith("12 weeks")
    assert after[1][1] == "100%"
    library.entries["trial2001a"].fields.update(onset_hours="soon", lasting_hours="-3")
    root = dom(figures.duration_strip(entries, "index.md"))
    assert not root.find_all("a", class_="duration-strip__mark")
    assert "No source has onset or duration figures yet." in root.text()


# Habenula diagram ------------------------------------------------------------------------------------------------------


def test_habenula_diagram_has_a_title_a_description_and_a_legend():
    out = figures.habenula_diagram()
    assert_raw_html_block(out)
    root = dom(out)
    figure = root.find("figure", id="habenula-diagram")
    svg = figure.find("svg")
    assert svg.attrs["role"] == "img"
    ids = {n.attrs["id"] for n in root.iter() if "id" in n.attrs}
    assert svg.attrs["aria-labelledby"] in ids and svg.attrs["aria-describedby"] in ids
    assert svg.find("title").text() and "hypothesis" in svg.find("desc").text()
    statuses = [g.attrs["data-status"] for g in svg.find_all("g", class_="habenula-diagram__link")]
    assert "animals" in statuses and "hypothesis" in statuses
    node_text = " ".join(squash(t.text()) for t in svg.find_all("text"))
    for name in ("Lateral habenula", "RMTg", "VTA", "dopamine", "Raphe", "serotonin"):
        assert name in node_text
    legend = squash(figure.find("ul", class_="habenula-diagram__legend").text())
    assert "Solid line: shown in animals" in legend and "Dashed line: hypothesis" in legend
    described = [li.find("strong").text() for li in figure.find("figcaption").find_all("li")]
    assert described == ["shown in rats and mice", "shown in animals", "shown in animals", "a hypothesis"]
    assert len(ids) == len([n for n in root.iter() if "id" in n.attrs]), "duplicate ids"


# Escaping --------------------------------------------------------------------------------------------------------------

HOSTILE = r"""@article{evil2020x,
  author = {<img src=x onerror=alert(1)> and Doe, J{\"o}hn},
  title = {<script>alert(1)</script>},
  journal = {"><svg onload=alert(1)>},
  year = {2020},
  studytype = {rct},
  milestone = {<script>alert(1)</script> [click](javascript:alert(1)) {{ config }} **bold** "quoted"},
  milestone_year = {"><b>1999},
  onset_hours = {1" onmouseover="alert(1)},
  lasting_hours = {48}
}
"""
OUR_TAGS = {"a", "span", "p", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "figure",
            "figcaption", "time", "details", "summary", "strong", "svg", "title", "desc", "defs", "marker", "path", "g",
            "rect", "text", "tspan", "line"}


def assert_inert(out: str) -> None:
    assert_only_our_markup(out, OUR_TAGS)
    dom(out)


def test_hostile_fields_are_inert_in_every_figure():
    library, _ = load_library(HOSTILE.encode())
    entries = list(library.entries.values())
    claims = {"claims/x.md": {"claim_number": 1, "title": "<b>Claim</b> **x**", "verdict": "Accurate", "certainty": "Low"}}
    for out in (
        figures.evidence_map(claims, {"claims/x.md": entries}, "index.md"),
        figures.timeline(entries, "index.md"),
        figures.duration_strip(entries, "index.md"),
    ):
        assert_inert(out)
    root = dom(figures.timeline(entries, "index.md"))
    assert root.find("a", class_="timeline__link").text().startswith("<script>alert(1)</script> [click]")
    assert root.find("time").attrs["datetime"] == "2020"  # the hostile milestone_year is not a year
    strip = dom(figures.duration_strip(entries, "index.md"))
    assert [m[0] for m in marks(strip)] == ["lasting"]  # the hostile onset is not a number


@settings(max_examples=100)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_any_milestone_text_reads_back_unchanged(text):
    library, _ = load_library(b"@misc{any2020x, title = {T}, year = {2020}, author = {A}}")
    entry = library.entries["any2020x"]
    entry.fields["milestone"] = text
    out = figures.timeline([entry], "index.md")
    assert "<" not in re.sub(r"<[^>]*>", "", out)
    if text.strip():
        assert dom(out).find("a", class_="timeline__link").text() == text.strip()


# The blocks survive Markdown -----------------------------------------------------------------------------------------


def test_figures_pass_through_markdown_untouched(library):
    extensions = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc", "pymdownx.superfences"]
    for out in (
        figures.evidence_map(CLAIMS, cited_of(library), "index.md"),
        figures.timeline(list(library.entries.values()), "index.md"),
        figures.duration_strip(list(library.entries.values()), "index.md"),
        figures.habenula_diagram(),
    ):
        page = f"# Page\n\nBefore.\n\n{out}\nAfter.\n\n*[RCT]: randomised controlled trial\n"
        rendered = markdown.markdown(page, extensions=extensions)
        assert "&amp;#" not in rendered and "<p><div" not in rendered and "<p><figure" not in rendered
        before, after = dom(out), dom(rendered)
        assert [a.attrs.get("href") for a in before.find_all("a")] == [a.attrs.get("href") for a in after.find_all("a")]
        ids = [n.attrs["id"] for n in before.iter() if "id" in n.attrs]
        assert ids == [n.attrs["id"] for n in after.iter() if "id" in n.attrs and n.attrs["id"] != "page"]
        assert squash(before.text()) in squash(after.text())


# Checking the fields ---------------------------------------------------------------------------------------------------


def test_check_fields_reports_each_bad_value_at_its_line():
    bib = (BIB.replace("milestone_year = {1964}", "milestone_year = {1960s}")
           .replace("lasting_hours = {336}", "lasting_hours = {two weeks}")
           .replace("onset_hours = {0.67}", "onset_hours = {200}"))
    library, _ = load_library(bib.encode())
    messages = [str(p) for p in figures.check_fields(library)]
    lines = bib.split("\n")

    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if text in line)

    assert messages == [
        f"references.bib:{line_of('lasting_hours = {168}')}: entry 'trial2001a': "
        "field 'lasting_hours' is smaller than 'onset_hours'",
        f"references.bib:{line_of('{two weeks}')}: entry 'open2010c': "
        "field 'lasting_hours' is not a positive number of hours (e.g. 0.67 or 168): 'two weeks'",
        f"references.bib:{line_of('{1960s}')}: entry 'review2014e': "
        "field 'milestone_year' is not a four-digit year: '1960s'",
    ]


def test_check_fields_accepts_the_good_library(library):
    assert figures.check_fields(library) == []


def test_timeline_puts_an_undated_milestone_last(library):
    undated, _ = load_library(b"@unpublished{nodate2000x, author = {Nash, N.}, title = {T}, milestone = {Undated event}}")
    entries = [*library.entries.values(), undated.entries["nodate2000x"]]
    items = dom(figures.timeline(entries, "index.md")).find("ol").find_all("li")
    assert squash(items[-1].text()).startswith("Date unknown Undated event")
