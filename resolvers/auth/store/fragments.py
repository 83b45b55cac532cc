"""SQL fragments of the auth tables, for statements of other domains that must stay one
statement (a page of works with their authors, a leaderboard row with the player's name).
Other domains name `user_account` only through these."""

from __future__ import annotations

# The author of a row joined as `u` (`user_join`), as the gallery shows authors.
AUTHOR_COLUMNS = (
    "u.public_user_code AS author_public_user_code, u.display_name AS author_display_name, "
    "u.avatar_url AS author_avatar_url"
)

# A user's display name by id, as a scalar subquery with one placeholder (the user id).
DISPLAY_NAME_OF = "(SELECT display_name FROM user_account WHERE user_id = {})"


def user_join(on: str, alias: str = "u") -> str:
    """`LEFT JOIN` of the user whose id is `on` (a column of the statement), as `alias`."""
    return f"LEFT JOIN user_account {alias} ON {alias}.user_id = {on}"
