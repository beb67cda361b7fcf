"""Business proposals: companies, proposals, pitch decks and their lifecycle."""
