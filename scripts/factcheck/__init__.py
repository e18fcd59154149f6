"""This site's evidence layer, plugged into the citation engine (citepages): the claims of one essay, their verdicts
and certainty, the essay itself, figures drawn from the bibliography, logged literature searches, link-preview cards,
ClaimReview, summaries of findings, the claims as open data, and what changed (the feed, corrections)."""

from .layer import extend  # noqa: F401 (what the engine calls: `plugins: [factcheck]` in the options of citepages.markdown)
