"""Data-migration benchmark: export and import of many rows, memory flat in the data size.

    .venv/bin/python bench/migration.py                       # 100,000 then 1,000,000 rows
    .venv/bin/python bench/migration.py --sizes 10000 --database-url postgres://…/postgres
    .venv/bin/python bench/migration.py --engine sqlite      # temporary SQLite files

For each size, in one run:
1. a new source database (PostgreSQL: beside --database-url, dropped at the end; SQLite: a
   temporary file), migrated, with `size` rows of `tracking_event` made by one SQL
   statement (generate_series / a recursive CTE), plus one user;
2. a child process runs `resolvers.migration.export.export_to_file` (what `manage.py
   export` and `GET /ops/export` run) into a temporary file;
3. a new empty target database, migrated; a child process runs
   `resolvers.migration.importing.run_import` in EMPTY mode (what `manage.py import`
   runs: the checking pass, then one transaction);
and prints, per size: rows, seconds and rows/s of each, the file's size and each child's
peak resident memory (ru_maxrss: the interpreter and the project's modules included),
then the load average. Memory flat in the size means the peak does not grow with the rows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import harness

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

POSTGRES_ROWS = (
    "INSERT INTO tracking_event (event_id, event_key, scope_kind, scope_id, day_key, "
    "user_id, metadata_json, occurred_at) SELECT 'ev' || lpad(g::text, 9, '0'), 'bench', "
    "'user', 'scope-' || (g % 1000)::text, 20000 + g % 30, 'u' || (g % 5000)::text, "
    "{{}}, now() - (g || ' seconds')::interval "
    "FROM generate_series(1, {size}) g"
)

SQLITE_ROWS = (
    "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {size}) "
    "INSERT INTO tracking_event (event_id, event_key, scope_kind, scope_id, day_key, "
    "user_id, metadata_json, occurred_at) SELECT printf('ev%09d', n), 'bench', 'user', "
    "'scope-' || (n % 1000), 20000 + n % 30, 'u' || (n % 5000), {{}}, "
    "strftime('%Y-%m-%d %H:%M:%f000+00:00', 'now', '-' || n || ' seconds') FROM g"
)


class Databases:
    """New databases for one run: PostgreSQL ones beside a URL, or SQLite files."""

    def __init__(self, engine: str, admin_url: str, folder: Path) -> None:
        self.engine = engine
        self.admin_url = admin_url
        self.folder = folder
        self.made: list[str] = []

    def new(self, label: str) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.folder / f'{label}.sqlite'}"
        name = f"genarrative_bench_migration_{label}_{os.getpid()}_{secrets.token_hex(3)}"
        asyncio.run(harness.postgres(self.admin_url, f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return urlunparse(urlparse(self.admin_url)._replace(path=f"/{name}"))

    def drop(self) -> None:
        for name in self.made:
            asyncio.run(harness.postgres(self.admin_url, f'DROP DATABASE IF EXISTS "{name}"'))


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "BROADCAST_URL": "memory://",
        "JWT_SECRET": os.environ.get("JWT_SECRET", "bench-secret-" + "x" * 40),
    }


def child(action: str, database_url: str, *args: str) -> dict[str, Any]:
    output = harness.run(
        [PYTHON, str(Path(__file__)), action, *args], environment(database_url), timeout=3600
    )
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def measure_size(databases: Databases, size: int, folder: Path) -> dict[str, Any]:
    source = databases.new(f"source{size}")
    harness.run([PYTHON, "manage.py", "migrate"], environment(source), timeout=300)
    child("fill", source, str(size))
    path = folder / f"export-{size}.ndjson"
    exported = child("export", source, str(path))
    target = databases.new(f"target{size}")
    harness.run([PYTHON, "manage.py", "migrate"], environment(target), timeout=300)
    imported = child("import", target, str(path))
    bytes_written = path.stat().st_size
    path.unlink()
    return {"size": size, "export": exported, "import": imported, "bytes": bytes_written}


def orchestrate(options: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="genarrative-bench-migration-"))
    databases = Databases(options.engine, options.database_url, folder)
    results = []
    try:
        for size in options.sizes:
            print(f"engine: {options.engine}; {size} rows …", flush=True)
            results.append(measure_size(databases, size, folder))
    finally:
        databases.drop()
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print("rows        export rows/s  peak MiB   import rows/s  peak MiB   file MiB")
    for result in results:
        exported, imported = result["export"], result["import"]
        print(
            f"{exported['rows']:>9}  {exported['rows'] / exported['seconds']:>12,.0f}"
            f"  {exported['peak_kib'] / 1024:>8.1f}"
            f"   {imported['rows'] / imported['seconds']:>12,.0f}"
            f"  {imported['peak_kib'] / 1024:>8.1f}   {result['bytes'] / 2**20:>8.1f}"
        )
        print(
            f"           ({exported['seconds']:.1f} s)              "
            f"({imported['seconds']:.1f} s: checking pass and transaction)"
        )
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    return 0


def peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


async def fill(size: int) -> None:
    from piccolo.engine.postgres import PostgresEngine

    from db.engine import close_pool, start_pool
    from db.tables.auth import UserAccount
    from resolvers.auth.password_signin import register_with_password

    engine = UserAccount._meta.db
    await start_pool(engine)
    await register_with_password(username="bench", password="a bench password")
    template = POSTGRES_ROWS if isinstance(engine, PostgresEngine) else SQLITE_ROWS
    await UserAccount.raw(template.format(size=size), '{"n": 1, "tag": "bench"}')
    await close_pool(engine)  # the kept SQLite connections' threads would outlive main
    print(json.dumps({"rows": size}))


async def export(path: str) -> None:
    from db.engine import close_pool, start_pool
    from db.tables.auth import UserAccount
    from resolvers.migration.export import export_to_file

    await start_pool(UserAccount._meta.db)
    started = time.perf_counter()
    summary = await export_to_file(Path(path))
    seconds = time.perf_counter() - started
    await close_pool(UserAccount._meta.db)
    print(json.dumps({"rows": summary.rows, "seconds": seconds, "peak_kib": peak_kib()}))


async def import_file(path: str) -> None:
    from db.engine import close_pool, start_pool
    from db.tables.auth import UserAccount
    from resolvers.migration.importing import ImportMode, file_source, run_import

    await start_pool(UserAccount._meta.db)
    started = time.perf_counter()
    summary = await run_import(file_source(path), mode=ImportMode.EMPTY)
    seconds = time.perf_counter() - started
    await close_pool(UserAccount._meta.db)
    print(json.dumps({"rows": summary.rows, "seconds": seconds, "peak_kib": peak_kib()}))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("fill", "export", "import"):
        action, argument = sys.argv[1], sys.argv[2]
        if action == "fill":
            asyncio.run(fill(int(argument)))
        elif action == "export":
            asyncio.run(export(argument))
        else:
            asyncio.run(import_file(argument))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    return orchestrate(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
