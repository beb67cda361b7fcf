"""The home page of each role: what the person's next steps are."""
