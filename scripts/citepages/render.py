"""Render citations, reference lists and the study index as Markdown with inline HTML, and study pages as HTML.

Every value from the bibliography is untrusted: `esc` makes it inert both as HTML and as
Markdown, and only addresses that passed validation (http(s) URLs, DOIs, PubMed IDs) become links.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import quote

import markdown

from .bib import STUDY_TYPES, Entry, Library, page_name, to_bibtex
from .citations import AUTHOR_IN_TEXT, SUPPRESS_AUTHOR, Cite, Group, slugify

AUTHORS_SHOWN = 10
PUBMED_SEARCH = "Search PubMed for this title"
# Custom fields of ours and bulky tool fields that a reader copying the BibTeX does not want.
NOT_EXPORTED = ("summary", "studytype", "n", "background", "milestone", "milestone_year", "onset_hours", "lasting_hours",
                "abstract", "file", "keywords", "langid", "urldate")

_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+!|~^=:@$%<>&\"'-]")


def esc(text: str) -> str:
    """Text that reads the same but is inert as HTML, Markdown, Jinja and autolinks."""
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m[0])};", text)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def abbreviator(terms: list[tuple[str, str]]):
    """Plain text → HTML, escaped as `esc` does, with each glossary term marked up as the abbr extension marks
    it on Markdown pages (longest term first, whole words only)."""
    if not terms:
        return esc
    definitions = dict(terms)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(definitions, key=len, reverse=True)) + r")\b")

    def abbreviate(text: str) -> str:
        out, pos = [], 0
        for match in pattern.finditer(text):
            out += [esc(text[pos : match.start()]), f'<abbr title="{attr(definitions[match[0]])}">{esc(match[0])}</abbr>']
            pos = match.end()
        out.append(esc(text[pos:]))
        return "".join(out)

    return abbreviate


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class Backlink:
    src: str  # page source path relative to the docs folder
    anchor: str
    page_title: str
    section: str


def _surnames(entry: Entry) -> list[str]:
    return [a.family for a in entry.authors if a.last != "others"]


def cite_names(entry: Entry) -> str:
    """Who a citation names: "Yang", "Yang & Hu", "Yang et al.", or the publisher when there is no author."""
    names = _surnames(entry)
    if not names:
        return entry.journal or entry.key
    if len(names) == 1 and len(entry.authors) == 1:
        return names[0]
    if len(names) == 2 and len(entry.authors) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def cite_label(entry: Entry) -> str:
    """"Yang et al. 2018": how a citation, a link and a search log name the study."""
    return _once(entry, "label", lambda e: f"{cite_names(e)} {e.year}".strip())


def author_list(entry: Entry, limit: int | None = None) -> str:
    names = [a.vancouver() for a in entry.authors if a.last != "others"]
    more = len(names) - limit if limit and len(names) > limit else 0
    shown = names[:limit] if more else names
    text = ", ".join(shown)
    if more or any(a.last == "others" for a in entry.authors):
        text += ", et al."
    return text


def source_line(entry: Entry) -> str:
    """"Journal. Year;Volume(Number):Pages." for articles, "Publisher; Year." for other documents."""
    if not entry.get("journal", "journaltitle", "booktitle"):
        return "; ".join(p for p in (entry.journal, entry.year) if p) + "."
    volume = entry.get("volume")
    issue = entry.get("number", "issue")
    pages = entry.get("pages").replace("--", "–")
    detail = entry.year + (f";{volume}" + (f"({issue})" if issue else "") if volume else "") + (f":{pages}" if pages else "")
    return f"{entry.journal}. {detail}."


def cite_as(entry: Entry) -> str:
    """One formatted reference (Vancouver style, as PubMed and medical journals use), plain text."""
    parts = [author_list(entry, 6).rstrip(".") + "." if entry.authors else "", entry.title.rstrip(".") + ".", source_line(entry)]
    if entry.doi:
        parts.append(f"doi:{entry.doi}")
    elif entry.url:
        parts.append(f"Available from: {entry.url}")
    return " ".join(p for p in parts if p)


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def links(entry: Entry) -> list[tuple[str, str]]:
    """(label, address) for each validated identifier of the entry."""
    out = []
    if entry.doi:
        out.append(("DOI", doi_url(entry.doi)))
    if entry.fields.get("pmid", "").isdigit():
        out.append(("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{entry.fields['pmid']}/"))
    if re.fullmatch(r"PMC\d+", entry.fields.get("pmcid", "")):
        out.append(("PMC", f"https://pmc.ncbi.nlm.nih.gov/articles/{entry.fields['pmcid']}/"))
    if entry.url and re.match(r"https?://", entry.url, re.IGNORECASE) and not entry.doi:
        out.append(("Source", entry.url))
    if not out and entry.title:
        # No identifier to link: a search, labelled as one, still takes the reader one click from the paper.
        out.append((PUBMED_SEARCH, "https://pubmed.ncbi.nlm.nih.gov/?term=" + quote(f'"{entry.title}"', safe="")))
    return out


def notice_html(entry: Entry) -> str:
    """The notice a plug-in gives the study (`Entry.notice`), the same wherever the study is shown; "" for none."""
    return entry.notice[1] if entry.notice else ""


def _link_html(label: str, href: str) -> str:
    return f'<a href="{attr(href)}" rel="noopener">{esc(label)}</a>'


def _once(entry: Entry, name: str, make) -> str:
    """`make(entry)`, made once per entry and build: a study is shown on its own page and in every References list that cites it."""
    made = entry.rendered.get(name)
    if made is None:
        made = entry.rendered[name] = make(entry)
    return made


_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_.~ -]+")


def form_quote(value: str) -> str:
    """`value` as urllib's quote_plus(value, safe="") writes it (UTF-8, %XX, a space as +), quoting only what needs it."""
    return _UNSAFE_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode("utf-8")), value).replace(" ", "+")


def _coins(entry: Entry) -> str:
    # The query as urllib's urlencode writes it (quote_plus on every name and value); the names need no quoting.
    if entry.type == "article":
        head = "ctx_ver=Z39.88-2004&rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Ajournal&rft.genre=article"
        fields = [("rft.atitle", entry.title), ("rft.jtitle", entry.journal)]
    else:
        head = "ctx_ver=Z39.88-2004&rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Adc&rft.type=document"
        fields = [("rft.title", entry.title), ("rft.publisher", entry.journal)]
    fields.append(("rft.date", entry.iso_date or entry.year))
    for name, field in (("rft.volume", "volume"), ("rft.issue", "number"), ("rft.pages", "pages")):
        if entry.get(field):
            fields.append((name, entry.get(field).replace("--", "-")))
    fields += [("rft.au", a.last_first()) for a in entry.authors if a.last != "others"]
    if entry.doi:
        fields.append(("rft_id", f"info:doi/{entry.doi}"))
    if entry.fields.get("pmid", "").isdigit():
        fields.append(("rft_id", f"info:pmid/{entry.fields['pmid']}"))
    if entry.url:
        fields.append(("rft_id", entry.url))
    query = "&".join([head, *(f"{name}={form_quote(value)}" for name, value in fields)])
    return f'<span class="Z3988" title="{attr(query)}"></span>'


def exported_bibtex(entry: Entry) -> str:
    """The entry as BibTeX without the site's own fields: on its study page and in every download that holds it."""
    return _once(entry, "bibtex", lambda e: to_bibtex(e, exclude=NOT_EXPORTED))


def coins(entry: Entry) -> str:
    """A COinS span: Zotero and other reference managers read the reference from it (on a study page, and from a
    References list every reference at once)."""
    return _once(entry, "coins", _coins)


def _reference_head(entry: Entry) -> str:
    ids = " · ".join(_link_html(label, href) for label, href in links(entry))
    notice = f"{notice_html(entry)} " if entry.notice else ""
    return f"{esc(cite_as(entry))} {notice}{ids}{' · ' if ids else ''}"


def reference_html(entry: Entry, study_href: str) -> str:
    """A full reference for a References list, with its identifier links."""
    return f'{_once(entry, "reference", _reference_head)}<a href="{attr(study_href)}">Study page</a>{coins(entry)}'


def _preview_body(entry: Entry) -> str:
    kind = STUDY_TYPES.get(entry.studytype, "")
    parts = [
        f'<span class="cite-preview__authors">{esc(author_list(entry, 3))}</span>' if entry.authors else "",
        f'<span class="cite-preview__title">{esc(entry.title)}</span>',
        f'<span class="cite-preview__source">{esc(entry.journal)}{", " if entry.journal else ""}{esc(entry.year)}</span>',
        f'<span class="cite-preview__type">{esc(kind)}</span>' if kind else "",
        notice_html(entry),
    ]
    return "".join(p for p in parts if p)


def preview_html(entry: Entry, preview_id: str) -> str:
    # <small>, not <span>: Material's search skips an excluded element until the first closing tag of its name.
    return f'<small class="cite-preview" role="tooltip" id="{preview_id}" data-search-exclude>{_once(entry, "preview", _preview_body)}</small>'


def _cite_link(entry: Entry, text_html: str, href: str, preview_id: str) -> str:
    return (f'<a class="cite__link" href="{attr(href)}" aria-describedby="{preview_id}">{text_html}</a>'
            f"{preview_html(entry, preview_id)}")


# Markdown that a prefix or suffix may hold; text without any is shown through `esc`, as before there was any.
_MARKUP_RE = re.compile(r"[\\`*_\[<&$]")
_ANCHOR_TAG_RE = re.compile(r"</?a\b[^<>]*>")


@functools.lru_cache(maxsize=1)
def _inline_converter() -> markdown.Markdown:
    return markdown.Markdown()


def _math_spans(text: str) -> list[tuple[int, int]]:
    """Pandoc's `$math$`: an opening `$` before a non-space, a closing one after a non-space and before no digit."""
    dollars = [i for i, c in enumerate(text) if c == "$" and (i == 0 or text[i - 1] != "\\")]
    closes = [i for i in dollars if i > 0 and not text[i - 1].isspace() and not text[i + 1 : i + 2].isdigit()]
    spans, c = [], 0
    for i in dollars:
        if spans and i <= spans[-1][1] or i + 1 >= len(text) or text[i + 1].isspace():
            continue
        while c < len(closes) and closes[c] <= i:
            c += 1
        if c < len(closes) and closes[c] > i + 1:
            spans.append((i, closes[c]))
    return spans


def inline_markdown(text: str) -> str:
    """A citation's prefix or suffix as HTML: its emphasis, strong, code and links rendered as Python-Markdown
    renders them inside a paragraph (never as a block), and `$math$` as its text."""
    if not _MARKUP_RE.search(text):
        return esc(text)
    md = _inline_converter()
    md.reset()
    pieces, pos = [], 0
    for start, end in _math_spans(text):
        pieces += [text[pos:start], md.htmlStash.store(f'<span class="math">{html.escape(text[start + 1 : end])}</span>')]
        pos = end + 1
    pieces.append(text[pos:])
    root = etree.Element(md.doc_tag)
    etree.SubElement(root, "p").text = "".join(pieces).strip()
    for processor in md.treeprocessors:
        root = processor.run(root) or root
    out = md.serializer(root[0]).strip().removeprefix("<p>").removesuffix("</p>")
    for processor in md.postprocessors:
        out = processor.run(out)
    return (" " if text[:1].isspace() else "") + out


def _locator_html(cite: Cite) -> str:
    """The suffix of `@key [p. 318]` as it follows the year: ", p. 318" (a comma unless it starts with one)."""
    suffix = cite.suffix.strip()
    if not suffix:
        return ""
    return inline_markdown(suffix) if suffix.startswith((",", ";", ":", ".")) else ", " + inline_markdown(suffix)


def render_group(group: Group, library: Library, href_for, counter: list[int]) -> str:
    """One citation as inline HTML, each key a link to its study page with a preview:
    "(see Yang et al. 2018, p. 318; Li et al. 2010)", "(2018)" for [-@key], "Yang et al. (2018, p. 318)" for @key [p. 318],
    "Yang et al. (2018; Li et al. 2010)" for @key [@other]. Prefixes and suffixes are Markdown."""
    items = []
    for i, cite in enumerate(group.cites):
        entry = library.entries[cite.key]
        counter[0] += 1
        preview_id = f"cite-{counter[0]}"
        href = href_for(entry.key)
        # The first citation of `@key [p. 318]` or `-@key [p. 318]` has its locator after the year.
        suffix = _locator_html(cite) if i == 0 and not group.bracketed else inline_markdown(cite.suffix)
        if cite.mode == AUTHOR_IN_TEXT:  # only ever the first: "Yang et al. (2018, p. 318)", the locator in the link
            inside = esc(entry.year) + _ANCHOR_TAG_RE.sub("", suffix)  # a link inside a link is none
            closing = esc(")") if entry.year and len(group.cites) == 1 else ""
            text = esc(cite_names(entry)) + (esc(" (") + inside if entry.year else inside) + closing
            items.append(f'<span class="cite">{_cite_link(entry, text, href, preview_id)}</span>')
            continue
        label = entry.year if cite.mode == SUPPRESS_AUTHOR and entry.year else cite_label(entry)
        prefix = f"{inline_markdown(cite.prefix)} " if cite.prefix else ""
        items.append(f'<span class="cite">{prefix}{_cite_link(entry, esc(label), href, preview_id)}{suffix}</span>')
    if group.narrative:
        rest = "; ".join(items[1:])
        opening = "" if not rest else ("; " if library.entries[group.cites[0].key].year else " (")
        return f'<span class="citation citation--narrative">{items[0]}{opening}{rest}{")" if rest else ""}</span>'
    return '<span class="citation">(' + "; ".join(items) + ")</span>"


def cite_citations(text: str, groups: list[Group], library: Library, href_for, store) -> tuple[str, list[str]]:
    """The Markdown with each citation replaced by what `store(html)` returns for it (a generator's placeholder
    for finished HTML), and the keys cited, in order of first citation."""
    counter = [0]
    out, pos = [], 0
    for group in groups:
        out += [text[pos : group.start], store(render_group(group, library, href_for, counter))]
        pos = group.end
    out.append(text[pos:])
    return "".join(out), list(dict.fromkeys(c.key for g in groups for c in g.cites))


def render_references(keys: list[str], library: Library, href_for) -> str:
    """The References list: one <li id="ref-KEY"> per study, in order of first citation."""
    items = "\n".join(
        f'<li id="ref-{attr(key)}">{reference_html(library.entries[key], href_for(key))}</li>' for key in keys
    )
    return f'<ol class="references" data-search-exclude>\n{items}\n</ol>'


def _front_matter(meta: dict[str, str]) -> str:
    # JSON strings are valid YAML and much faster to write than yaml.safe_dump, once per study page.
    return "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in sorted(meta.items())) + "---\n\n"


def page_url(src: str) -> str:
    """The address of a Markdown page, relative to the site root (MkDocs' directory URLs)."""
    path = src.removesuffix(".md")
    return "" if path == "index" else path.removesuffix("/index").removesuffix("index") + "/"


# Where the relative links in the HTML we write start from. MkDocs leaves raw HTML as it is, so a link starts from
# the page's address; Zensical re-bases every relative link from the folder of the page's file to its address.
LINKS_FROM_FILE: ContextVar[bool] = ContextVar("links_from_file", default=False)


def link_base(src: str) -> str:
    """The folder, relative to the site root, that relative links in the page `src` start from."""
    if LINKS_FROM_FILE.get():
        folder = posixpath.dirname(src)
        return f"{folder}/" if folder else ""
    return page_url(src)


def study_path(key: str) -> str:
    """The path of a key's (generated) study page among the site's pages."""
    return f"studies/{page_name(key)}.md"


def study_url(key: str) -> str:
    """The address of a key's study page, relative to the site root."""
    return f"studies/{quote(page_name(key))}/"


def relative_link(target: str, src: str) -> str:
    """A link from the page `src` to `target`, a directory URL relative to the site root ("studies/key/")."""
    return _relative(target, link_base(src))


@functools.lru_cache(maxsize=65536)  # the same few hundred links, on every page that cites a study
def _relative(target: str, base: str) -> str:
    path = posixpath.relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
    return "./" if path == "." else f"{path}/"


@dataclass(frozen=True)
class Study:
    """One study page, rendered straight to HTML: a build gives it to the theme without Markdown conversion."""

    title: str  # plain text, for the <title>, the header, link previews and search
    description: str  # plain text
    html: str  # the page body
    headings: tuple[tuple[int, str, str], ...]  # (level, id, title as HTML), for the table of contents
    search_text: str  # plain text: authors, journal, year and our summary
    links: tuple[tuple[str, str], ...]  # (page source, anchor) of each "Cited on" link


@dataclass(frozen=True)
class _Heading:
    level: int
    id: str
    html: str  # as shown in the page
    toc: str  # as listed in the table of contents
    searched: bool = True


def _unique(anchor: str, taken: set[str]) -> str:
    """`anchor`, or `anchor_1`, `anchor_2`… if taken (as Python-Markdown's toc numbers repeated ids)."""
    out, i = anchor, 0
    while out in taken:
        i += 1
        out = f"{anchor}_{i}"
    taken.add(out)
    return out


def _study_label(entry: Entry) -> str:
    """A study page's title: "Yang et al. 2018: Ketamine blocks bursting…"."""
    return f"{cite_label(entry)}: {entry.title}"


def _study_blocks(entry: Entry, backlinks: list[Backlink], bib_href: str, abbreviate) -> list:
    """The blocks of a study page, in order: a _Heading, ("code", text) for the BibTeX, or a string of HTML."""
    kind = STUDY_TYPES.get(entry.studytype, "Not classified")
    authors = [a.vancouver() for a in entry.authors if a.last != "others"]
    shown, rest = authors[:AUTHORS_SHOWN], authors[AUTHORS_SHOWN:]
    author_html = esc(", ".join(shown))
    if rest:
        author_html += (
            f' <details class="more-authors"><summary>and {len(rest)} more</summary> {esc(", ".join(rest))}</details>'
        )
    facts = [
        ("Authors", author_html or "None listed"),
        ("Journal" if entry.get("journal", "journaltitle") else "Published by", esc(entry.journal or "Not given")),
        ("Year", esc(entry.year)),
    ]
    for label, names in (("Volume", ("volume",)), ("Issue", ("number", "issue")), ("Pages", ("pages",))):
        if entry.get(*names):
            facts.append((label, esc(entry.get(*names).replace("--", "–"))))
    if entry.notice:
        facts.append(entry.notice)
    facts.append(("Study type", esc(kind)))
    if entry.get("n"):
        facts.append(("Sample size", esc(entry.get("n"))))
    dl = "\n".join(f"<dt>{label}</dt> <dd>{value}</dd>" for label, value in facts)
    id_links = " · ".join(_link_html(f"{label}: {href.split('://', 1)[1]}" if label == "DOI" else label, href) for label, href in links(entry))
    summary = entry.get("summary")
    ids: set[str] = set()
    heading = lambda level, text, html_text, searched=True: _Heading(level, _unique(slugify(text) or "study", ids), html_text, esc(text), searched)  # noqa: E731

    blocks = [
        heading(1, entry.title, abbreviate(entry.title)),
        f'<dl class="study-facts">\n{dl}\n</dl>',
        f'<p class="study-links" data-search-exclude>{id_links}{coins(entry)}</p>',
        heading(2, "What it found", "What it found"),
        f"<p>{abbreviate(summary)}</p>" if summary else "<p>No summary yet.</p>",
        heading(2, "Cited on", "Cited on", searched=False),
    ]
    if backlinks:
        items = []
        for link in backlinks:
            href = relative_link(page_url(link.src), study_path(entry.key)) + (f"#{link.anchor}" if link.anchor else "")
            label = link.page_title + (f" — {link.section}" if link.section and link.section != link.page_title else "")
            items.append(f'<li><a href="{attr(href)}">{esc(label)}</a></li>')
        blocks.append("<ul>\n" + "\n".join(items) + "\n</ul>")
    else:
        blocks.append("<p>No page cites this study yet; it is listed as background reading.</p>")
    return blocks + [
        heading(2, "Cite as", "Cite as", searched=False),
        f'<p class="cite-as">{esc(cite_as(entry))}</p>',
        ("code", exported_bibtex(entry)),
        f'<p class="study-source">This page is generated from <a href="{attr(bib_href)}">references.bib, line {entry.line}</a>.</p>',
    ]


def study_page(entry: Entry, backlinks: list[Backlink], bib_href: str, abbreviate=esc,
               permalink: str = "Link to this section") -> Study:
    """The study page at studies/<key>/, as HTML. `abbreviate` turns plain text into HTML (by default `esc`;
    a build passes one that also marks the glossary's terms), `permalink` is the title of each heading's link."""
    blocks, parts = _study_blocks(entry, backlinks, bib_href, abbreviate), []
    for block in blocks:
        if isinstance(block, _Heading):
            excluded = "" if block.searched else " data-search-exclude"
            parts.append(f'<h{block.level}{excluded} id="{block.id}">{block.html}<a class="headerlink" href="#{block.id}" '
                         f'title="{attr(permalink)}">&para;</a></h{block.level}>')
        elif isinstance(block, tuple):  # the BibTeX: a code block the theme styles and gives a copy button
            parts.append(f'<div class="highlight"><pre><code>{esc(block[1])}</code></pre></div>')
        else:
            parts.append(block)
    label = _study_label(entry)
    authors = ", ".join(a.vancouver() for a in entry.authors if a.last != "others")
    return Study(
        title=label,
        description=label[:300],
        html="\n".join(parts) + "\n",
        headings=tuple((b.level, b.id, b.toc) for b in blocks if isinstance(b, _Heading)),
        search_text=" ".join(p for p in (authors, entry.journal, entry.year, entry.get("summary")) if p),
        links=tuple((link.src, link.anchor) for link in backlinks),
    )


def render_study(entry: Entry, backlinks: list[Backlink], bib_href: str, abbreviate=esc) -> str:
    """The study page as a Markdown file, as `citepages build` writes it for any site generator:
    front matter, Markdown headings (so that the generator lists them), the BibTeX as a fenced block, HTML between.
    `abbreviate` as for `study_page`, for the HTML blocks; in the Markdown headings the generator's abbr extension
    marks the glossary's terms, so a hyphen stays a hyphen there (it is plain text inside a heading line), or it
    would not see a term such as "open-label"."""
    parts = []
    for block in _study_blocks(entry, backlinks, bib_href, abbreviate):
        if isinstance(block, _Heading):
            text = block.toc.replace("&#45;", "-")
            parts.append("#" * block.level + " " + text + ("" if block.searched else " { data-search-exclude }"))
        elif isinstance(block, tuple):
            fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", block[1])), default=0))
            parts.append(f"{fence} bibtex\n{block[1]}\n{fence}")
        else:
            parts.append(block)
    label = _study_label(entry)
    return _front_matter({"title": html.escape(label), "description": html.escape(label[:300])}) + "\n\n".join(parts) + "\n"


def _leading_number(text: str) -> str:
    match = re.match(r"\s*([\d,]+)", text)
    return match[1].replace(",", "") if match else ""


INDEX_MARKER = "<!-- citepages:study-index -->"


def index_table(library: Library, cited: dict[str, int]) -> str:
    """The HTML of the study index: every study in a sortable, filterable table."""
    rows = []
    for entry in sorted(library.entries.values(), key=lambda e: (e.year, e.key.lower()), reverse=True):
        n = entry.get("n")
        rows.append(
            "<tr>"
            f'<td><a href="{attr(quote(page_name(entry.key)))}/">{esc(entry.title)}</a><br><span class="study-index__authors">{esc(cite_label(entry))}</span></td>'
            f"<td data-label=\"Year\">{esc(entry.year)}{'<br>' + notice_html(entry) if entry.notice else ''}</td>"
            f'<td data-label="Type">{esc(STUDY_TYPES.get(entry.studytype, "Not classified"))}</td>'
            f'<td data-label="Participants or animals" data-sort="{_leading_number(n)}">{esc(n) or "—"}</td>'
            f'<td data-label="Pages citing it">{cited.get(entry.key, 0)}</td>'
            "</tr>"
        )
    return (
        '<div class="study-index" data-search-exclude>\n'
        '<label for="study-filter">Filter studies</label>\n'
        '<input id="study-filter" class="study-index__filter" type="search" placeholder="Title, author, year or type" autocomplete="off">\n'
        '<p class="study-index__count" aria-live="polite"></p>\n'
        '<table class="study-index__table">\n<thead><tr>'
        '<th scope="col" aria-sort="none">Study</th><th scope="col" aria-sort="descending" data-sort-type="number">Year</th>'
        '<th scope="col" aria-sort="none">Type</th><th scope="col" aria-sort="none" data-sort-type="number">Participants or animals</th>'
        '<th scope="col" aria-sort="none" data-sort-type="number">Pages citing it</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>"
    )


def render_index(library: Library, cited: dict[str, int], table: bool = True, exports: tuple[str, str] | None = None,
                 downloads: list[tuple[str, str, str]] = (), data_links: str = "") -> str:
    """The Markdown of studies/index.md: every study in a sortable, filterable table; links to `exports` (the whole
    bibliography as BibTeX and as CSL-JSON) and to `downloads`, each page's references as (page title, BibTeX, RIS).
    Paths are relative to the site root; `data_links`, Markdown, follows them. With `table`, the table as HTML in it
    (for any generator); without, its marker, which the Python-Markdown extension fills in through the generator's
    stash (MkDocs' converters then need not read thousands of rows of HTML)."""
    meta = {"title": "All studies", "description": f"Every study this site cites: {len(library.entries)} studies, sortable by year, type and size."}
    intro = (
        "# All studies\n\n"
        f"Every study the claim pages cite, {len(library.entries)} in all.\n"
        "Select a column heading to sort; type in the box to filter.\n"
        "Each study has its own page with the full reference, what it found and the pages that cite it.\n"
    )
    if exports:
        intro += (f"Download every study at once as [BibTeX](../{exports[0]}) or [CSL-JSON](../{exports[1]})"
                  " (for Zotero, EndNote, Mendeley and other reference managers)"
                  + (", or [the references of one page](#each-pages-references)" if downloads else "") + ".\n")
    if data_links:
        intro += data_links.rstrip("\n") + "\n"
    listed = ""
    if downloads:
        listed = "\n## Each page's references { data-search-exclude }\n\n" + "".join(
            f"- {esc(title)}: [BibTeX](../{bib}) · [RIS](../{ris})\n" for title, bib, ris in downloads)
    return _front_matter(meta) + intro + "\n" + (index_table(library, cited) if table else INDEX_MARKER) + "\n" + listed


# What search does not index (each marked data-search-exclude): citation previews, reference lists, search logs.
_UNSEARCHED_RE = re.compile(r'<small class="cite-preview".*?</small>|<ol class="references".*?</ol>|<details class="search-log">.*?</details>'
                            r'|<div class="study-index" data-search-exclude>.*?</div>',
                            re.DOTALL)


_ID_RE = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]+)"')


def element_ids(html_text: str) -> set[str]:
    """The id of every element of a page's HTML (as we write it: double-quoted)."""
    return set(_ID_RE.findall(html_text))


# Inline tags: a search index keeps their words and drops the tags, so the words alone index the same. Headings'
# permalinks go whole (search leaves their text out of a section's title).
_INLINE_TAG_RE = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>|</?(?:a|abbr|b|em|i|small|span|strong)(?:\s[^>]*)?>')
_EXCLUDED_INLINE_RE = re.compile(r'<(?:a|abbr|b|em|i|small|span|strong)\s[^>]*data-search-')


def searched_html(html_text: str) -> str:
    """A page's HTML as search reads it: without what search skips anyway (previews, References, search logs), and
    without inline tags, whose words search indexes alike; a search plugin then parses far less of it.
    A page with an inline element kept out of search keeps its inline tags."""
    html_text = _UNSEARCHED_RE.sub("", html_text)
    return html_text if _EXCLUDED_INLINE_RE.search(html_text) else _INLINE_TAG_RE.sub("", html_text)
