"""Accounts and sign-in (docs/domain.md, "Accounts and sign-in")."""
