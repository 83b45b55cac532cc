"""Persisted operations: Apollo's automatic persisted queries (APQ) and the committed list.

The protocol (as Apollo clients expect it, `extensions.persistedQuery = {version: 1,
sha256Hash}` over GET and POST, and in a WebSocket `subscribe` payload):
- the hash alone: the document remembered for it (the committed list, or an earlier
  registration in this process), else `PersistedQueryNotFound` (code
  PERSISTED_QUERY_NOT_FOUND, HTTP 200): the client sends the hash with the document;
- the hash with the document: the document runs when its SHA-256 (hex) is the hash, and is
  remembered (at most PERSISTED_QUERY_CACHE_SIZE documents, least recently used out);
  another hash is refused (400 BAD_REQUEST "provided sha does not match query");
- PERSISTED_QUERIES_ENABLED=false: `PersistedQueryNotSupported` (code
  PERSISTED_QUERY_NOT_SUPPORTED, HTTP 200) and the client stops sending hashes;
- a version other than 1, or a hash that is not 64 hex digits: 400 BAD_REQUEST.

`persisted-operations.json` (hash -> document; the documents of the README's examples and
of the benchmarks, written by `bin/persisted-operations`) is always known. With
PERSISTED_OPERATIONS_ONLY=true (production) only its documents run, by hash or in full:
anything else is 403 PERSISTED_QUERY_NOT_IN_LIST, and nothing is registered.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

from settings import ROOT, Settings

OPERATIONS_FILE = ROOT / "persisted-operations.json"
NOT_FOUND = "PersistedQueryNotFound"
NOT_SUPPORTED = "PersistedQueryNotSupported"
MISMATCH = "provided sha does not match query"
NOT_IN_LIST = "Only persisted operations run here: this document is not in the list."
_HASH = re.compile(r"[0-9a-f]{64}")


class PersistedQueryRefused(Exception):
    """A persisted-query request that cannot run: its HTTP status, message and code."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def load_operations(path: Path = OPERATIONS_FILE) -> dict[str, str]:
    """The committed list; every hash is checked against its document."""
    operations: dict[str, str] = orjson.loads(path.read_bytes())
    for digest, document in operations.items():
        if document_hash(document) != digest:
            raise ValueError(f"{path.name}: {digest} is not the hash of its document")
    return operations


class PersistedQueries:
    def __init__(
        self, *, enabled: bool, cache_size: int, only_listed: bool, listed: dict[str, str]
    ) -> None:
        self.enabled = enabled
        self.cache_size = cache_size
        self.only_listed = only_listed
        self.listed = listed
        self._remembered: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._remembered)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The document to run, or PersistedQueryRefused."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if self.only_listed and query is not None and not self._is_listed(query):
                raise PersistedQueryRefused(403, NOT_IN_LIST, "PERSISTED_QUERY_NOT_IN_LIST")
            return query
        if not self.enabled:
            raise PersistedQueryRefused(200, NOT_SUPPORTED, "PERSISTED_QUERY_NOT_SUPPORTED")
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryRefused(400, "Unsupported persisted query version", "BAD_REQUEST")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _HASH.fullmatch(digest):
            raise PersistedQueryRefused(
                400, "`sha256Hash` must be 64 lower-case hex digits", "BAD_REQUEST"
            )
        if query is None:
            document = self.listed.get(digest)
            if document is None and not self.only_listed:
                document = self._remembered.get(digest)
                if document is not None:
                    self._remembered.move_to_end(digest)
            if document is None:
                raise PersistedQueryRefused(200, NOT_FOUND, "PERSISTED_QUERY_NOT_FOUND")
            return document
        if document_hash(query) != digest:
            raise PersistedQueryRefused(400, MISMATCH, "BAD_REQUEST")
        if digest in self.listed:
            return query
        if self.only_listed:
            raise PersistedQueryRefused(403, NOT_IN_LIST, "PERSISTED_QUERY_NOT_IN_LIST")
        self._remembered[digest] = query
        self._remembered.move_to_end(digest)
        while len(self._remembered) > self.cache_size:
            self._remembered.popitem(last=False)
        return query

    def _is_listed(self, query: str) -> bool:
        return self.listed.get(document_hash(query)) == query


def persisted_from_settings(settings: Settings) -> PersistedQueries:
    return PersistedQueries(
        enabled=settings.persisted_queries_enabled,
        cache_size=settings.persisted_query_cache_size,
        only_listed=settings.persisted_operations_only,
        listed=load_operations(),
    )
