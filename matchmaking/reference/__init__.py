"""Reference data: regions, municipalities, sectors, stages, sub-projects."""
