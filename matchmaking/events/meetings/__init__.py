"""The 1:1 meetings: choices, the schedule the engine builds, and hand edits."""
