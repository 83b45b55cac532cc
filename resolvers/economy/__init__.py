"""Points and money: the wallet (later codes, invites, membership, orders)."""
