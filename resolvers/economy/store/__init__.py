"""The economy's statements, by entity: `wallet` (ledger and dashboard), `membership`,
`orders`, `invites` (codes and referrals), `redeem_codes` (codes, usages, throttle) and
`tasks` (configurations, progress, claims)."""
