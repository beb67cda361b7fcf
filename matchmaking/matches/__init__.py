"""Matches: stored, explained scores, an investor's choices, the interest figures and the investor digests."""
