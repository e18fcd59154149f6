"""Figures built from the claim front matter and the bibliography: evidence map, timeline, duration strip, circuit diagram.

Each function takes plain data and returns one block of HTML (with inline SVG where a drawing is needed) to put in
place of a marker in a page's Markdown. Every value from the bibliography or the front matter goes through
`render.esc` (text) or `render.attr` (attributes). Links are relative directory URLs ("../../studies/<key>/"),
because raw HTML is passed through by the site generator without being rewritten.

Each block has no blank line and no indented line, so that Python-Markdown keeps it as one raw HTML block, and each
carries its own text alternative: a table, an ordered list or a written description.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import quote

from citepages.bib import STUDY_TYPES, Entry, Library
from citepages.citations import slugify
from citepages.problems import Problem
from citepages.render import attr, cite_label, esc, page_url, relative_link, study_url

from .claims import certainty_badge, verdict_badge
from .frontmatter import CERTAINTIES

# The custom bibliography fields the figures read; `check_fields` reports values they would have to ignore.
FIGURE_FIELDS = ("milestone", "milestone_year", "onset_hours", "lasting_hours")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_YEAR_RE = re.compile(r"\d{4}", re.ASCII)


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    studytypes: tuple[str, ...]


# The columns of the evidence map, from the most direct evidence about people to documents about the rules.
KINDS = (
    Kind("rct", "Human randomised trials", ("rct",)),
    Kind("open-label", "Open-label studies", ("open-label",)),
    Kind("observational", "Observational studies", ("observational",)),
    Kind("animal", "Animal studies", ("animal",)),
    Kind("review", "Reviews and meta-analyses", ("review", "meta-analysis")),
    Kind("history", "Histories", ("history",)),
    Kind("regulatory", "Regulatory documents", ("regulatory",)),
)


# Links ------------------------------------------------------------------------------------------------------------


def study_href(key: str, from_src: str) -> str:
    return relative_link(study_url(key), from_src)


def claim_href(src: str, from_src: str) -> str:
    return relative_link(quote(page_url(src)), from_src)


def _study_link(entry: Entry, from_src: str) -> str:
    return f'<a href="{attr(study_href(entry.key, from_src))}">{esc(cite_label(entry))}</a>'


def _kind_label(entry: Entry) -> str:
    return STUDY_TYPES.get(entry.studytype, "Not classified")


# Field values -----------------------------------------------------------------------------------------------------


def hours(entry: Entry, name: str) -> float | None:
    """A positive number of hours from a custom field, or None when it is missing or not a plain number."""
    value = entry.fields.get(name, "").strip()
    if not _NUMBER_RE.fullmatch(value):
        return None
    number = float(value)
    return number if number > 0 and math.isfinite(number) else None


def milestone_year(entry: Entry) -> int | None:
    """The year of an entry's milestone: its `milestone_year` field, else the entry's year."""
    for value in (entry.fields.get("milestone_year", "").strip(), entry.year):
        if _YEAR_RE.fullmatch(value):
            return int(value)
    return None


def check_fields(library: Library) -> list[Problem]:
    """A problem, at its line, for each figure field whose value the figures would have to ignore."""
    problems = []

    def report(entry: Entry, name: str, message: str) -> None:
        line = entry.field_lines.get(name, entry.line)
        problems.append(Problem(library.path, line, None, f"entry '{entry.key}': {message}"))

    for entry in library.entries.values():
        fields = entry.fields
        if "milestone" in fields and not fields["milestone"].strip():
            report(entry, "milestone", "field 'milestone' is empty")
        if "milestone_year" in fields:
            if not _YEAR_RE.fullmatch(fields["milestone_year"].strip()):
                report(entry, "milestone_year", f"field 'milestone_year' is not a four-digit year: '{fields['milestone_year']}'")
            elif "milestone" not in fields:
                report(entry, "milestone_year", "field 'milestone_year' has no 'milestone' to date")
        for name in ("onset_hours", "lasting_hours"):
            if name in fields and hours(entry, name) is None:
                report(entry, name, f"field '{name}' is not a positive number of hours (e.g. 0.67 or 168): '{fields[name]}'")
        onset, lasting = hours(entry, "onset_hours"), hours(entry, "lasting_hours")
        if onset is not None and lasting is not None and lasting < onset:
            report(entry, "lasting_hours", "field 'lasting_hours' is smaller than 'onset_hours'")
    return problems


def duration_text(value: float) -> str:
    """Hours as a reader says them: "40 minutes", "6 hours", "7 days", "12 weeks"."""

    def num(x: float) -> str:
        x = round(x, 1)
        return str(int(x)) if x == int(x) else str(x)

    def unit(count: str, singular: str, plural: str) -> str:
        return f"{count} {singular if count == '1' else plural}"

    if value < 1:
        return unit(str(max(1, round(value * 60))), "minute", "minutes")
    if value < 48:
        return unit(num(value), "hour", "hours")
    if value < 24 * 14:
        return unit(num(value / 24), "day", "days")
    return unit(num(value / 168), "week", "weeks")


# Evidence map ------------------------------------------------------------------------------------------------------


def _unique(entries: list[Entry]) -> list[Entry]:
    return list({e.key: e for e in entries}.values())


def _certainty_slug(certainty: str) -> str:
    return slugify(certainty) if certainty in CERTAINTIES else "unknown"


def evidence_map(claims: dict[str, dict], cited: dict[str, list[Entry]], from_src: str) -> str:
    """A table of claims (rows) by kind of evidence (columns): how many studies of each kind a claim cites, with links.

    `claims` maps a claim page source ("claims/x.md") to its front matter; `cited` maps it to the entries it cites.
    """
    head = "".join(f'<th scope="col" class="evidence-map__kind">{esc(kind.label)}</th>' for kind in KINDS)
    rows = []
    for src, meta in sorted(claims.items(), key=lambda item: (item[1]["claim_number"], item[0])):
        level = _certainty_slug(meta["certainty"])
        entries = _unique(cited.get(src, []))
        cells = []
        for kind in KINDS:
            found = [e for e in entries if e.studytype in kind.studytypes]
            found.sort(key=lambda e: (e.year, cite_label(e), e.key))
            if not found:
                cells.append('<td class="evidence-map__cell evidence-map__cell--none" data-count="0">'
                              '<span class="evidence-map__count">0</span></td>')
                continue
            links = "".join(f"<li>{_study_link(e, from_src)}</li>" for e in found)
            # The names sit behind a disclosure so that the map stays a glance: thirteen rows, not three screens.
            # The kind is named in the cell for a phone, where the map is a block per claim without column headings.
            cells.append(
                f'<td class="evidence-map__cell evidence-map__cell--{level}" data-count="{len(found)}">'
                '<details class="evidence-map__more"><summary>'
                f'<span class="evidence-map__cell-kind">{esc(kind.label)}: </span>'
                f'<span class="evidence-map__count">{len(found)}</span> '
                f'<span class="evidence-map__noun">{"study" if len(found) == 1 else "studies"}</span></summary>'
                f'<ul class="evidence-map__studies" role="list">{links}</ul></details></td>'
            )
        rows.append(
            f'<tr class="evidence-map__row" data-claim="{attr(src)}">'
            f'<th scope="row" class="evidence-map__claim"><a href="{attr(claim_href(src, from_src))}">'
            f'<span class="evidence-map__number">{esc(str(meta["claim_number"]))}.</span> {esc(meta["title"])}</a>'
            '<span class="evidence-map__rating">'
            f'{verdict_badge(meta["verdict"])} {certainty_badge(meta["certainty"])}</span></th>'
            + "".join(cells)
            + "</tr>"
        )
    legend = "".join(
        f'<li class="evidence-map__key evidence-map__cell--{slugify(c)}">{certainty_badge(c)}</li>' for c in CERTAINTIES
    )
    return (
        '<div class="evidence-map" id="evidence-map">\n'
        '<div class="fig-scroll" role="region" tabindex="0" aria-label="Evidence map">\n'
        '<table class="evidence-map__table">\n'
        '<caption id="evidence-map-caption">Evidence map: how many studies of each kind every claim page cites. '
        "Open a number to list the studies, each linked to its page. The shading of a cell follows the certainty "
        "of the evidence for that claim, which the first column gives in words.</caption>\n"
        f'<thead><tr><th scope="col">Claim, verdict and certainty</th>{head}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
        '<ul class="evidence-map__legend" role="list" aria-label="Shading of the cells, by certainty of the evidence">'
        f"{legend}</ul>\n"
        "</div>\n"
    )


# Timeline ----------------------------------------------------------------------------------------------------------


def timeline(entries: list[Entry], from_src: str) -> str:
    """Every entry with a `milestone` field, oldest first, as an ordered list drawn along a line."""
    dated = [(milestone_year(e), e) for e in _unique(entries) if e.fields.get("milestone", "").strip()]
    dated.sort(key=lambda item: (item[0] is None, item[0] or 0, item[1].key))  # undated events last
    items = []
    for year, entry in dated:
        if year is not None:
            when = f'<time class="timeline__year" datetime="{year:04d}">{year}</time>'
        else:
            when = '<span class="timeline__year">Date unknown</span>'
        kind = attr(slugify(entry.studytype) or "unclassified")
        href = attr(study_href(entry.key, from_src))
        items.append(
            f'<li class="timeline__event timeline__event--{kind}">{when} '
            f'<a class="timeline__link" href="{href}">{esc(entry.fields["milestone"].strip())}</a> '
            f'<span class="timeline__source">Source: {esc(cite_label(entry))}, {esc(_kind_label(entry).lower())}</span></li>'
        )
    if items:
        body = '<ol class="timeline__list" role="list" aria-labelledby="timeline-caption">\n' + "\n".join(items) + "\n</ol>\n"
    else:
        body = "<p>No milestones recorded yet.</p>\n"
    return (
        '<figure class="timeline" id="timeline">\n'
        '<figcaption id="timeline-caption">Timeline: the studies and events that shaped the story, oldest first. '
        "Each event links to the page of its source.</figcaption>\n" + body + "</figure>\n"
    )


# Duration strip ----------------------------------------------------------------------------------------------------

# (hours, label, shown on a phone). The scale runs from 1 hour to 12 weeks, widened to take in any figure outside.
_TICKS = (
    (0.25, "15 min", False), (0.5, "30 min", False), (1, "1 hour", True), (6, "6 hours", False), (24, "1 day", True),
    (72, "3 days", False), (168, "1 week", True), (336, "2 weeks", False), (672, "4 weeks", False),
    (2016, "12 weeks", True), (4032, "24 weeks", False), (8760, "1 year", True),
)
SCALE_HOURS = (1.0, 2016.0)


def scale(values: list[float]) -> tuple[float, float]:
    """The ends of the log scale: 1 hour to 12 weeks, widened to the nearest tick beyond any value outside."""
    low, high = SCALE_HOURS
    if values and min(values) < low:
        low = max((t for t, _, _ in _TICKS if t <= min(values)), default=min(values))
    if values and max(values) > high:
        high = min((t for t, _, _ in _TICKS if t >= max(values)), default=max(values))
    return low, high


def position(value: float, low: float, high: float) -> float:
    """Where `value` hours falls on the log scale, as a percentage of its width."""
    return 100 * (math.log(value) - math.log(low)) / (math.log(high) - math.log(low))


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _mark(entry: Entry, from_src: str, which: str, value: float, at: float) -> str:
    side = "start" if at < 25 else "end" if at > 75 else "middle"
    words = "First seen at" if which == "onset" else "Still seen at"
    return (
        f'<a class="duration-strip__mark duration-strip__mark--{which} duration-strip__mark--{side}" '
        f'style="--at: {_pct(at)}" href="{attr(study_href(entry.key, from_src))}">'
        f'<span class="duration-strip__dot" aria-hidden="true"></span>'
        f'<span class="duration-strip__label"><span class="fig-sr-only">{esc(cite_label(entry))}, </span>'
        f"{words} {esc(duration_text(value))}</span></a>"
    )


def _tick_class(hours_at: float, major: bool) -> str:
    # Steps under an hour only widen the scale for a figure that needs it; the "1 hour" label names the region.
    if hours_at < 1:
        return " duration-strip__tick--unlabelled"
    return "" if major else " duration-strip__tick--minor"


def duration_strip(entries: list[Entry], from_src: str) -> str:
    """When an effect was first seen (`onset_hours`) and the latest it was still seen (`lasting_hours`), per source."""
    rows = [(e, hours(e, "onset_hours"), hours(e, "lasting_hours")) for e in _unique(entries)]
    rows = [r for r in rows if r[1] is not None or r[2] is not None]
    rows.sort(key=lambda r: (r[1] if r[1] is not None else r[2], r[2] or 0, r[0].key))
    caption = (
        '<figcaption id="duration-strip-caption">How long does it last? For each source, when an effect was first seen '
        "after a dose (○) and the latest time it was still seen (◆), on a scale from hours to weeks. "
        "Each step to the right multiplies the time, so an hour and twelve weeks fit on one line. "
        "Each mark links to its source; the table below gives the same figures.</figcaption>\n"
    )
    if not rows:
        return ('<figure class="duration-strip" id="duration-strip">\n' + caption
                + "<p>No source has onset or duration figures yet.</p>\n</figure>\n")
    low, high = scale([v for _, onset, lasting in rows for v in (onset, lasting) if v is not None])
    ticks = [(t, label, major) for t, label, major in _TICKS if low <= t <= high]
    grid = "".join(f'<span class="duration-strip__grid" style="--at: {_pct(position(t, low, high))}"></span>' for t, *_ in ticks)
    lanes = []
    for entry, onset, lasting in rows:
        marks = []
        if onset is not None and lasting is not None and lasting > onset:
            start, end = position(onset, low, high), position(lasting, low, high)
            marks.append(
                f'<span class="duration-strip__range" aria-hidden="true" style="--at: {_pct(start)}; --to: {_pct(end)}"></span>'
            )
        if onset is not None:
            marks.append(_mark(entry, from_src, "onset", onset, position(onset, low, high)))
        if lasting is not None:
            marks.append(_mark(entry, from_src, "lasting", lasting, position(lasting, low, high)))
        lanes.append(
            '<li class="duration-strip__lane">'
            f'<span class="duration-strip__who">{esc(cite_label(entry))}</span> '
            f'<span class="duration-strip__kind">{esc(_kind_label(entry))}</span>'
            f'<span class="duration-strip__track"><span class="duration-strip__grids" aria-hidden="true">{grid}</span>'
            + "".join(marks) + "</span></li>"
        )
    axis = "".join(
        f'<span class="duration-strip__tick{_tick_class(t, major)}'
        f'{" duration-strip__tick--start" if t == low else " duration-strip__tick--end" if t == high else ""}" '
        f'style="--at: {_pct(position(t, low, high))}">{esc(label)}</span>'
        for t, label, major in ticks
    )
    table_rows = "\n".join(
        f'<tr><th scope="row">{_study_link(entry, from_src)}</th><td>{esc(_kind_label(entry))}</td>'
        f'<td>{esc(duration_text(onset)) if onset is not None else "Not given"}</td>'
        f'<td>{esc(duration_text(lasting)) if lasting is not None else "Not given"}</td></tr>'
        for entry, onset, lasting in rows
    )
    legend = (
        '<p class="duration-strip__legend" aria-hidden="true">'
        + " ".join(
            f'<span class="duration-strip__key duration-strip__key--{which}">'
            f'<span class="duration-strip__{shape}"></span> {words}</span>'
            for which, shape, words in (("onset", "dot", "First seen"), ("lasting", "dot", "Latest time still seen"),
                                        ("range", "swatch", "In between"))
        )
        + "</p>\n"
    )
    return (
        '<figure class="duration-strip" id="duration-strip">\n' + caption + legend
        + '<ol class="duration-strip__lanes" role="list" aria-labelledby="duration-strip-caption">\n'
        + "\n".join(lanes) + "\n</ol>\n"
        + f'<div class="duration-strip__axis" aria-hidden="true">{axis}</div>\n'
        + '<div class="fig-scroll" role="region" tabindex="0" aria-label="Onset and duration figures, a table">\n'
        + '<table class="duration-strip__table">\n<caption>The same figures as a table: time after a dose.</caption>\n'
        + '<thead><tr><th scope="col">Source</th><th scope="col">Kind of study</th>'
        + '<th scope="col">Effect first seen</th><th scope="col">Effect still seen at</th></tr></thead>\n'
        + f"<tbody>\n{table_rows}\n</tbody>\n</table>\n</div>\n</figure>\n"
    )


# Habenula diagram --------------------------------------------------------------------------------------------------

# (x, y, width, height, lines of text, css modifier); the drawing is 340 units wide so that it stays legible on a phone.
_NODES = {
    "ketamine": (110, 8, 120, 34, ["Ketamine"], "drug"),
    "lhb": (40, 86, 260, 50, ["Lateral habenula (LHb)", "bursts in depression-like rats, mice"], "hub"),
    "rmtg": (6, 190, 158, 50, ["RMTg", "inhibitory GABA cells"], ""),
    "raphe": (176, 190, 158, 50, ["Raphe nuclei", "serotonin neurons"], ""),
    "vta": (6, 290, 158, 50, ["VTA", "dopamine neurons"], ""),
    "mood": (40, 392, 260, 64, ["More dopamine and serotonin", "released, and mood lifts,", "in people?"], "hypothesis"),
}
# (path, ending: "excite" arrow or "inhibit" bar, shown in animals or only a hypothesis, label, label x, label y, anchor)
_LINKS = (
    ("M170 42 V84", "inhibit", "animals", "blocks the bursting", 178, 68, "start"),
    ("M110 136 L85 188", "excite", "animals", "excites", 90, 166, "end"),
    ("M85 240 V288", "inhibit", "animals", "inhibits", 92, 268, "start"),
    ("M230 136 L255 188", "inhibit", "animals", "inhibits", 250, 166, "start"),
    ("M85 340 L130 390", "excite", "hypothesis", "brake lifted?", 112, 360, "start"),
    ("M255 240 V330 L215 390", "excite", "hypothesis", "brake lifted?", 249, 300, "end"),
)
_DIAGRAM_TEXT = (
    ("Ketamine blocks the bursting of lateral habenula neurons", "shown in rats and mice", "Yang et al. 2018"),
    ("The lateral habenula excites inhibitory (GABA) cells in the RMTg, which inhibit dopamine neurons in the VTA",
     "shown in animals", "stimulating the habenula inhibited dopamine neurons in monkeys (Matsumoto & Hikosaka 2007); "
     "the RMTg relay is the route Yang et al. 2018 describe"),
    ("The lateral habenula also holds back serotonin neurons in the raphe nuclei, through inhibitory cells",
     "shown in animals", "reviews by Proulx et al. 2014 and Hu et al. 2020"),
    ("Blocking the bursting lifts the brake, so that more dopamine and serotonin are released and mood lifts in people",
     "a hypothesis", "the 2018 study put it forward as a model but did not measure dopamine, "
     "and none of it has been shown in people"),
)


def _svg_text(x: float, y: float, lines: list[str], cls: str, anchor: str = "middle") -> str:
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else 15}">{esc(line)}</tspan>' for i, line in enumerate(lines))
    return f'<text class="{cls}" x="{x:g}" y="{y:g}" text-anchor="{anchor}" fill="currentColor">{spans}</text>'


def habenula_diagram() -> str:
    """The lateral habenula circuit as inline SVG, with a legend and a written description of every link."""
    nodes = []
    for name, (x, y, w, h, lines, modifier) in _NODES.items():
        cls = f"habenula-diagram__node habenula-diagram__node--{modifier}" if modifier else "habenula-diagram__node"
        top = y + h / 2 - 7.5 * (len(lines) - 1) + 4.5
        nodes.append(
            f'<g class="{cls}" data-node="{name}">'
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="none" stroke="currentColor"/>'
            + _svg_text(x + w / 2, top, lines, "habenula-diagram__text") + "</g>"
        )
    links = []
    for path, ending, status, label, lx, ly, anchor in _LINKS:
        links.append(
            f'<g class="habenula-diagram__link habenula-diagram__link--{status}" data-status="{status}">'
            f'<path d="{path}" marker-end="url(#habenula-diagram-{ending})" fill="none" stroke="currentColor"/>'
            + _svg_text(lx, ly, [label], "habenula-diagram__label", anchor) + "</g>"
        )
    svg = (
        '<svg class="habenula-diagram__svg" viewBox="0 0 340 464" role="img" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="habenula-diagram-title" aria-describedby="habenula-diagram-desc">'
        '<title id="habenula-diagram-title">'
        "The lateral habenula circuit: what was shown in animals and what is a hypothesis</title>"
        '<desc id="habenula-diagram-desc">Ketamine blocks bursting in the lateral habenula. The habenula excites inhibitory '
        "cells in the RMTg, which inhibit dopamine neurons in the VTA, and it also inhibits serotonin neurons in the raphe. "
        "These links were shown in animals and are drawn as solid lines. That blocking the bursting releases more dopamine "
        "and serotonin and lifts mood in people is a hypothesis, drawn with dashed lines.</desc>"
        "<defs>"
        '<marker id="habenula-diagram-excite" class="habenula-diagram__end" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0 0 L10 5 L0 10 z" fill="currentColor"/></marker>'
        '<marker id="habenula-diagram-inhibit" class="habenula-diagram__end" viewBox="0 0 10 10" refX="8" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto"><path d="M7 0 H10 V10 H7 z" fill="currentColor"/></marker>'
        "</defs>" + "".join(links) + "".join(nodes) + "</svg>"
    )
    sample = '<svg viewBox="0 0 40 10" width="40" height="10" aria-hidden="true" focusable="false">{}</svg>'
    legend = (
        '<ul class="habenula-diagram__legend" role="list">'
        "<li>" + sample.format('<line class="habenula-diagram__sample" stroke="currentColor" x1="0" y1="5" x2="40" y2="5"/>')
        + " Solid line: shown in animals</li>"
        "<li>" + sample.format('<line class="habenula-diagram__sample habenula-diagram__sample--hypothesis" '
                               'stroke="currentColor" stroke-dasharray="6 5" x1="0" y1="5" x2="40" y2="5"/>')
        + " Dashed line: hypothesis, not shown in people</li>"
        "<li><span aria-hidden=\"true\">→</span> Arrow: excites or releases</li>"
        "<li><span aria-hidden=\"true\">⊣</span> Bar: inhibits or blocks</li>"
        "</ul>"
    )
    description = "".join(
        f"<li>{esc(what)}: <strong>{esc(status)}</strong> ({esc(detail)}).</li>" for what, status, detail in _DIAGRAM_TEXT
    )
    return (
        '<figure class="habenula-diagram" id="habenula-diagram">\n'
        + svg + "\n" + legend + "\n"
        + '<figcaption class="habenula-diagram__description"><p>The diagram in words, link by link '
        "(RMTg: rostromedial tegmental nucleus; VTA: ventral tegmental area):</p>"
        f"<ul>{description}</ul></figcaption>\n"
        "</figure>\n"
    )
