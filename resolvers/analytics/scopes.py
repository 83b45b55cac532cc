"""Names shared by tracking and the tasks that listen to it (no database)."""

from __future__ import annotations

import re
from enum import StrEnum

EVENT_KEY = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
EVENT_KEY_RULE = "1 to 64 lower-case letters, digits or `_.:-`, starting with a letter"


class TrackingScope(StrEnum):
    """What an event is about (`tracking_event.scope_kind`)."""

    SITE = "site"
    WORK = "work"
    MODULE = "module"
    USER = "user"
