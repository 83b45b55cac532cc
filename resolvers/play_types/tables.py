"""The tables a play type hands the contract: the contract's shared statements
(resolvers/play_types/publication.py, works.py) run on them. Each play type's store builds
these, so that its other modules hold no table class."""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.table import Table


@dataclass(frozen=True, slots=True)
class WorkTables:
    """A play type's work profile table and the creation session table it is made in."""

    profile: type[Table]
    session: type[Table]


@dataclass(frozen=True, slots=True)
class DraftColumn:
    """Where a creation session's draft is stored: a JSON object column of its table."""

    table: type[Table]
    column: str
