"""Vendor the files Strawberry's GraphiQL page loads from unpkg (`bin/vendor-graphiql`).

Reads the asset URLs and their SRI hashes from Strawberry's own `graphiql.html`, downloads
each package's tarball from the npm registry (checked against the registry's sha512 of the
tarball), takes the one file the page loads, checks it against the page's SRI hash, and
writes it under `static/` with a manifest of sha512 values. A development tool: the service
itself never reaches the network for GraphiQL.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import strawberry

from schema.graphiql.manifest import MANIFEST, STATIC, integrity

REGISTRY = "https://registry.npmjs.org"
UNPKG_ASSET = re.compile(
    r'(?:src|href)="https://unpkg\.com/(?P<path>[^"]+)"\s*integrity="(?P<sri>[^"]+)"'
)
# `name@version/file`, where a scoped name is `@scope/name`.
PACKAGE_PATH = re.compile(r"^(?P<name>@?[^@/]+(?:/[^@/]+)?)@(?P<version>[^/]+)/(?P<file>.+)$")
SRI = re.compile(r"^(?P<algorithm>sha256|sha384|sha512)-(?P<digest>.+)$")


@dataclass(frozen=True)
class UpstreamAsset:
    path: str  # the unpkg path: `name@version/file`
    name: str
    version: str
    file: str
    upstream_integrity: str  # the page's SRI value


def strawberry_page() -> str:
    return (Path(strawberry.__file__).parent / "static" / "graphiql.html").read_text()


def upstream_assets(page: str) -> list[UpstreamAsset]:
    """Every asset the page loads from unpkg, in the page's order."""
    found = []
    for match in UNPKG_ASSET.finditer(page):
        parts = PACKAGE_PATH.match(match["path"])
        if parts is None:
            raise ValueError(f"not a `name@version/file` unpkg path: {match['path']}")
        found.append(
            UpstreamAsset(
                path=match["path"],
                name=parts["name"],
                version=parts["version"],
                file=parts["file"],
                upstream_integrity=match["sri"],
            )
        )
    return found


def matches(data: bytes, sri: str) -> bool:
    parts = SRI.match(sri)
    if parts is None:
        raise ValueError(f"not an SRI value: {sri}")
    digest = hashlib.new(parts["algorithm"], data).digest()
    return base64.b64encode(digest).decode() == parts["digest"]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        body: bytes = response.read()
        return body


def package_file(asset: UpstreamAsset, tarballs: dict[tuple[str, str], bytes]) -> bytes:
    key = (asset.name, asset.version)
    if key not in tarballs:
        metadata = json.loads(_get(f"{REGISTRY}/{asset.name}/{asset.version}"))
        tarball = _get(metadata["dist"]["tarball"])
        if not matches(tarball, metadata["dist"]["integrity"]):
            raise ValueError(f"{asset.name}@{asset.version}: the tarball fails its integrity")
        tarballs[key] = tarball
    with tarfile.open(fileobj=io.BytesIO(tarballs[key]), mode="r:gz") as archive:
        member = archive.extractfile(f"package/{asset.file}")
        if member is None:
            raise ValueError(f"{asset.path}: not a file in the package")
        data = member.read()
    if not matches(data, asset.upstream_integrity):
        raise ValueError(f"{asset.path}: the file fails the page's {asset.upstream_integrity}")
    return data


def vendor(static: Path = STATIC) -> list[dict[str, str]]:
    """Replace `static/` with the page's assets and their manifest; return the manifest."""
    assets = upstream_assets(strawberry_page())
    tarballs: dict[tuple[str, str], bytes] = {}
    files = {asset.path: package_file(asset, tarballs) for asset in assets}
    shutil.rmtree(static, ignore_errors=True)
    entries = []
    for asset in assets:
        target = static / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[asset.path])
        entries.append(
            {
                "path": asset.path,
                "package": asset.name,
                "version": asset.version,
                "source": f"https://unpkg.com/{asset.path}",
                "upstreamIntegrity": asset.upstream_integrity,
                "integrity": integrity(files[asset.path]),
            }
        )
    (static / MANIFEST.name).write_text(json.dumps({"assets": entries}, indent=2) + "\n")
    return entries


def main() -> None:
    for entry in vendor():
        print(f"{entry['path']}  {entry['integrity']}")
    print(f"wrote {MANIFEST}", file=sys.stderr)


if __name__ == "__main__":
    main()
