"""The creation framework (docs/creation.md): agent turns for every play type.

- `model`: roles, kinds, statuses, reply formats, `SessionState`, `ReplyOutcome`;
  `errors`: expected failures.
- `adapters`: `CreationAdapter` (what a play type supplies) and its registry.
- `replies`: the agent's prompt and the reading of JSON replies.
- `turns`: send a message (queue the AI task), apply a finished reply once, settle turns
  whose reply was not applied yet; registers the AI-task finish listener.
- `reading`: turns and messages of sessions, batched for lists.
- `store`: every statement: turns (`operations`), the play types' message logs
  (`messages`), and the SQL fragments other domains splice in (`fragments`).
- `gates`: publish blockers shared by the play types.
"""
