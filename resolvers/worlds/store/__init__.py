"""Every statement of custom worlds, by entity: agent sessions (`sessions`), works
(`profiles`), draft cards (`cards`), agent messages and operations (`messages`), the public
read model (`gallery`) and the older question-and-answer sessions (`legacy`). The domain's
other modules hold its rules and call these; writes run in their callers' transactions."""
