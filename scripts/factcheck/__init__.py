"""This site's evidence layer, plugged into the citation engine (citepages): the claims of one essay, their verdicts
and certainty, the essay itself, figures drawn from the bibliography, logged literature searches, link-preview cards
and ClaimReview."""
