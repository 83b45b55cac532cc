"""How changes travel: the bus, channel names, publishing after commit, revocations.

Depends on `db` alone (and broadcaster); never on Strawberry, `schema` or `resolvers`.
"""
