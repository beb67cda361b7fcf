"""Springbrett sessions: the event and who takes part."""
