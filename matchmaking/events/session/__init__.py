"""A Springbrett session itself: list, page, organiser form, sign-up and candidates."""
