"""The line-up: which candidates pitch, chosen by the engine and the organisers."""
