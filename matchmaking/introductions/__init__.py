"""Introductions between investors and founders: the model, the rules (services) and the pages."""
