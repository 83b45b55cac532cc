"""Wallet and (later) codes, invites, membership, orders."""
