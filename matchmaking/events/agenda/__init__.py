"""Agendas (page, .ics, e-mail), the schedule export and meeting outcomes."""
