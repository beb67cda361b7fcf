"""Accounts: registration, confirmation, login, passwords, roles."""
