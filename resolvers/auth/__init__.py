"""Accounts and sign-in (DOMAIN.md §1)."""
