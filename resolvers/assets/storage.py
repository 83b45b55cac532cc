"""Where asset bytes live: an interface, and the local-filesystem default.

Objects are addressed by (bucket, object key). Writes go to a temporary file first and are
moved into place only once complete, so a reader never sees half an object.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from settings import ConfigurationError, get_settings

CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Digest:
    size: int
    sha256: str
    head: bytes  # the first bytes, to recognise the format


class TooLarge(Exception):
    """More bytes arrived than allowed."""


class Storage(Protocol):
    async def save(
        self, bucket: str, key: str, chunks: AsyncIterator[bytes], *, max_bytes: int
    ) -> Digest: ...

    async def digest(self, bucket: str, key: str) -> Digest | None: ...

    async def delete(self, bucket: str, key: str) -> None: ...

    async def move(self, bucket: str, source: str, target: str) -> None: ...

    def local_path(self, bucket: str, key: str) -> Path: ...


class LocalStorage:
    """Files under ASSET_STORAGE_DIR/<bucket>/<object key>."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def local_path(self, bucket: str, key: str) -> Path:
        path = (self.root / bucket / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError("object key escapes the storage root")
        return path

    async def save(
        self, bucket: str, key: str, chunks: AsyncIterator[bytes], *, max_bytes: int
    ) -> Digest:
        target = self.local_path(bucket, key)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        hasher = hashlib.sha256()
        size = 0
        head = b""
        handle = await asyncio.to_thread(temporary.open, "wb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge()
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                hasher.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(handle.close)
            await asyncio.to_thread(os.replace, temporary, target)
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
        return Digest(size=size, sha256=hasher.hexdigest(), head=head)

    async def digest(self, bucket: str, key: str) -> Digest | None:
        path = self.local_path(bucket, key)

        def read() -> Digest | None:
            if not path.is_file():
                return None
            hasher = hashlib.sha256()
            size = 0
            head = b""
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    if not head:
                        head = chunk[:64]
                    size += len(chunk)
                    hasher.update(chunk)
            return Digest(size=size, sha256=hasher.hexdigest(), head=head)

        return await asyncio.to_thread(read)

    async def delete(self, bucket: str, key: str) -> None:
        await asyncio.to_thread(self.local_path(bucket, key).unlink, missing_ok=True)

    async def move(self, bucket: str, source: str, target: str) -> None:
        await asyncio.to_thread(
            os.replace, self.local_path(bucket, source), self.local_path(bucket, target)
        )


def check_storage_dir(directory: str) -> None:
    """Fail start-up in one line (ConfigurationError) when ASSET_STORAGE_DIR cannot hold
    files, instead of the first upload failing: it (or the nearest folder above it that
    exists, where it will be made) must be a writable folder. Nothing is created here."""
    path = Path(directory).absolute()
    existing = next(folder for folder in (path, *path.parents) if folder.exists())
    if not existing.is_dir():
        problem = f"{existing} is not a folder"
    elif not os.access(existing, os.W_OK | os.X_OK):
        problem = f"cannot write to {existing} (permission denied)"
    else:
        return
    raise ConfigurationError(
        f"ASSET_STORAGE_DIR: {problem}; make it a writable folder or set ASSET_STORAGE_DIR"
    )


_storage: Storage | None = None


def get_storage() -> Storage:
    global _storage
    if _storage is None:
        _storage = LocalStorage(Path(get_settings().asset_storage_dir))
    return _storage


def set_storage(storage: Storage | None) -> None:
    """Install another storage (tests, an object store); None goes back to the default."""
    global _storage
    _storage = storage
