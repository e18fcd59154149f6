"""This site's evidence layer, plugged into the citation engine (citepages): the claims of one essay, their verdicts
and certainty, the essay itself, figures drawn from the bibliography, logged literature searches, link-preview cards
and ClaimReview."""

from .layer import extend  # noqa: F401 (what the engine calls: `plugins: [factcheck]` in the options of citepages.markdown)
