"""Demo data for `make run` and `flask --app wsgi demo load`."""
