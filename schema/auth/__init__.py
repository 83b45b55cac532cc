"""Accounts and sign-in on the graph."""
