"""Placeholder builders for the raw statements Piccolo's query builder cannot express.

Piccolo's `raw()` numbers `{}` placeholders itself (`$n` on PostgreSQL, `?` on SQLite), so
a statement names one `{}` per value.
"""

from __future__ import annotations

from collections.abc import Sequence, Sized


def marks(values: Sized | int) -> str:
    """`{}, {}, …`: one placeholder per value (or `values` placeholders), for `IN (…)`."""
    count = values if isinstance(values, int) else len(values)
    return ", ".join("{}" for _ in range(count))


def value_rows(count: int, width: int) -> str:
    """`({}, {}, …), (…)`: `count` rows of `width` placeholders, for a multi-row VALUES."""
    row = f"({marks(width)})"
    return ", ".join(row for _ in range(count))


def parameter_table(count: int, casts: Sequence[str], names: Sequence[str]) -> str:
    """A derived table of parameters (`SELECT {} AS a, … UNION ALL SELECT …`), typed with
    CASTs so PostgreSQL infers nothing and SQLite accepts it (no VALUES column aliases)."""
    first = ", ".join(
        f"CAST({{}} AS {cast}) AS {name}" for cast, name in zip(casts, names, strict=True)
    )
    other = ", ".join(f"CAST({{}} AS {cast})" for cast in casts)
    return " UNION ALL ".join(
        f"SELECT {first if number == 0 else other}" for number in range(count)
    )
