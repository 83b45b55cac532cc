"""The vendored GraphiQL assets: `static/manifest.json` lists every file with its sha512.

Each file sits at its unpkg path (`name@version/file`), so its URL under `/graphiql/`
names the version and may be cached for good. `bin/vendor-graphiql` writes the folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
MANIFEST = STATIC / "manifest.json"
URL_PREFIX = "/graphiql/"

MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Asset:
    path: str  # `name@version/file`, under static/ and under URL_PREFIX
    integrity: str  # `sha512-<base64>`: the manifest's value and the page's SRI attribute

    @property
    def url(self) -> str:
        return URL_PREFIX + self.path

    @property
    def file(self) -> Path:
        return STATIC / self.path

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[Path(self.path).suffix]

    @property
    def is_script(self) -> bool:
        return self.path.endswith(".js")


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@cache
def assets() -> tuple[Asset, ...]:
    """The manifest's assets in the order the page loads them."""
    entries = json.loads(MANIFEST.read_text())["assets"]
    return tuple(Asset(path=entry["path"], integrity=entry["integrity"]) for entry in entries)


@cache
def assets_by_path() -> dict[str, Asset]:
    return {asset.path: asset for asset in assets()}
