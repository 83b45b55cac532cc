"""Operator commands.

python manage.py migrate                          apply every migration (idempotent)
python manage.py create-admin USERNAME PASSWORD   register a user (if new) and make it admin
python manage.py grant-admin USERNAME             make an existing user an admin
python manage.py issue-service-token NAME [--days 90]
                                                  print a bearer token for a trusted worker
python manage.py revoke-service-token CREDENTIAL_ID
python manage.py export-schema [--check]          write the code's SDL to schema.graphql
                                                  (--check: only say whether it differs)
python manage.py migration-operator add|remove|list [USERNAME] [--note TEXT]
                                                  who may export and import (docs/ops.md)
python manage.py export FILE                      write the platform's data (NDJSON; secret)
python manage.py import FILE [--mode EMPTY|UPSERT]
                                                  import an export in one transaction
python manage.py auth-store import|export FILE    the legacy auth store's JSON document
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from piccolo.apps.migrations.commands.forwards import run_forwards


async def check_database() -> None:
    """End with one line (ConfigurationError) when DATABASE_URL's server does not answer."""
    from piccolo.engine.finder import engine_finder

    from db.engine import check_database as check

    engine = engine_finder()
    if engine is not None:
        await check(engine)


async def migrate() -> None:
    await check_database()
    result = await run_forwards(app_name="all", fake=False)
    if not result.success:
        raise SystemExit(f"migration failed: {result.message}")


async def create_admin(username: str, password: str) -> None:
    from resolvers.auth.admin import grant_admin
    from resolvers.auth.errors import AuthError, AuthErrorCode
    from resolvers.auth.password_signin import register_with_password

    await check_database()
    try:
        await register_with_password(username=username, password=password)
    except AuthError as error:
        if error.code is not AuthErrorCode.USERNAME_TAKEN:
            raise SystemExit(f"{error.code}: {error.message}") from error
    user_id = await grant_admin(username=username)
    print(f"admin: {username} ({user_id})")


async def grant(username: str) -> None:
    from resolvers.auth.admin import grant_admin

    await check_database()
    print(await grant_admin(username=username))


async def issue_token(name: str, days: int) -> None:
    from resolvers.auth.admin import issue_service_token

    await check_database()
    issued = await issue_service_token(name=name, days=days)
    print(
        f"# credential {issued.credential_id}, expires {issued.expires_at.isoformat()}",
        file=sys.stderr,
    )
    print(issued.token)


async def revoke_token(credential_id: str) -> None:
    from resolvers.auth.admin import revoke_service_credential

    await check_database()
    print(
        "revoked"
        if await revoke_service_credential(credential_id=credential_id)
        else "unknown or already revoked"
    )


def export_schema(*, check: bool) -> None:
    from schema.contract import EXPORT_COMMAND, SCHEMA_FILE, committed_sdl_path, current_sdl

    sdl = current_sdl().encode("utf-8")
    path = committed_sdl_path()
    if check:
        if not path.exists() or path.read_bytes() != sdl:
            raise SystemExit(f"{SCHEMA_FILE} differs from the code: run {EXPORT_COMMAND}")
        print(f"{SCHEMA_FILE} matches the code")
        return
    path.write_bytes(sdl)
    print(f"wrote {path} ({len(sdl)} bytes)")


async def migration_operator(action: str, username: str | None, note: str) -> None:
    from resolvers.migration import operators

    await check_database()
    if action == "list":
        for operator in await operators.list_operators():
            created = operator.created_at.isoformat()
            print(f"{operator.username}\t{operator.user_id}\t{created}\t{operator.note}")
        return
    if not username:
        raise SystemExit(f"migration-operator {action} needs a USERNAME")
    if action == "add":
        print(
            f"operator: {username} ({await operators.add_operator(username=username, note=note)})"
        )
    elif await operators.remove_operator(username=username):
        print(f"removed: {username}")
    else:
        print(f"{username} was not an operator")


async def export_data(path: str) -> None:
    from pathlib import Path

    from resolvers.migration.export import export_to_file

    await check_database()
    summary = await export_to_file(Path(path))
    print(f"exported {summary.rows} rows of {summary.tables} tables ({summary.bytes} bytes)")


async def import_data(path: str, mode: str) -> None:
    from resolvers.migration.errors import MigrationError
    from resolvers.migration.importing import ImportMode, file_source, run_import

    await check_database()

    def progress(table: str, rows: int) -> None:
        print(f"importing: {table} ({rows} rows written)", file=sys.stderr, flush=True)

    try:
        summary = await run_import(file_source(path), mode=ImportMode(mode), progress=progress)
    except MigrationError as error:
        raise SystemExit(f"{error.code}: {error.message}") from error
    print(f"imported {summary.rows} rows of {summary.tables} tables ({summary.mode})")


async def auth_store(action: str, path: str) -> None:
    from pathlib import Path

    from resolvers.migration.errors import MigrationError
    from resolvers.migration.legacy_auth import export_auth_store, import_auth_store

    await check_database()
    if action == "export":
        await asyncio.to_thread(Path(path).write_bytes, await export_auth_store())
        print(f"wrote {path}")
        return
    try:
        summary = await import_auth_store(await asyncio.to_thread(Path(path).read_bytes))
    except MigrationError as error:
        raise SystemExit(f"{error.code}: {error.message}") from error
    print(
        f"auth store: {summary.users} users, {summary.identities} identities, "
        f"{summary.refresh_sessions} refresh sessions"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Genarrative operator commands")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate")
    admin = commands.add_parser("create-admin")
    admin.add_argument("username")
    admin.add_argument("password")
    grant_parser = commands.add_parser("grant-admin")
    grant_parser.add_argument("username")
    token = commands.add_parser("issue-service-token")
    token.add_argument("name")
    token.add_argument("--days", type=int, default=90)
    revoke = commands.add_parser("revoke-service-token")
    revoke.add_argument("credential_id")
    export = commands.add_parser("export-schema")
    export.add_argument("--check", action="store_true")
    operator = commands.add_parser("migration-operator")
    operator.add_argument("action", choices=("add", "remove", "list"))
    operator.add_argument("username", nargs="?")
    operator.add_argument("--note", default="")
    export_file = commands.add_parser("export")
    export_file.add_argument("file")
    import_file = commands.add_parser("import")
    import_file.add_argument("file")
    import_file.add_argument("--mode", choices=("EMPTY", "UPSERT"), default="EMPTY")
    store = commands.add_parser("auth-store")
    store.add_argument("action", choices=("import", "export"))
    store.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        asyncio.run(migrate())
    elif args.command == "create-admin":
        asyncio.run(create_admin(args.username, args.password))
    elif args.command == "grant-admin":
        asyncio.run(grant(args.username))
    elif args.command == "issue-service-token":
        asyncio.run(issue_token(args.name, args.days))
    elif args.command == "revoke-service-token":
        asyncio.run(revoke_token(args.credential_id))
    elif args.command == "export-schema":
        export_schema(check=args.check)
    elif args.command == "migration-operator":
        asyncio.run(migration_operator(args.action, args.username, args.note))
    elif args.command == "export":
        asyncio.run(export_data(args.file))
    elif args.command == "import":
        asyncio.run(import_data(args.file, args.mode))
    elif args.command == "auth-store":
        asyncio.run(auth_store(args.action, args.file))


if __name__ == "__main__":
    main()
