"""Screening: the organisers' board, the scoring rubric, reviews and decisions."""
