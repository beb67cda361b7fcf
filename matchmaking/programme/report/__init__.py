"""The steering group's report: the numbers for a period (:mod:`.numbers`),
compared with the period before, and the small-cell rule (:mod:`.cells`)
applied to everything a steering-group member or the public sees."""
