"""Investors: interest profiles and their approval by organisers."""
