"""GraphiQL is served by the service itself: the page loads only this host's assets (the
vendored files of schema/graphiql/static/, each checked against the manifest's sha512),
under a Content-Security-Policy that allows this host alone; GRAPHIQL_ENABLED=false
serves neither. The page in a real browser: tests/surface/test_graphiql_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser

import httpx
import pytest

from schema.graphiql.manifest import MANIFEST, STATIC, assets
from schema.graphiql.vendor import matches, strawberry_page, upstream_assets

CACHE_FOREVER = "public, max-age=31536000, immutable"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


class PageParts(HTMLParser):
    """The page's asset tags (URL and integrity), other URLs, and inline bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str, str]] = []  # (tag, url, integrity)
        self.other_urls: list[str] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        url = named.get("src") or named.get("href")
        if (tag == "script" and url) or (tag == "link" and named.get("rel") == "stylesheet"):
            self.assets.append((tag, url or "", named.get("integrity", "")))
        elif url:
            self.other_urls.append(url)
        elif tag in self.inline:
            self._open = tag
            self.inline[tag].append("")

    def handle_data(self, data: str) -> None:
        if self._open:
            self.inline[self._open][-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def _sha256(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def _sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


async def test_the_page_loads_every_asset_from_this_host_under_a_self_only_policy(
    client: httpx.AsyncClient,
) -> None:
    # when a browser asks for /graphql
    response = await client.get("/graphql", headers={"accept": "text/html"})
    # then the page names the manifest's assets, in order, by local URL and sha512
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    page = PageParts()
    page.feed(response.text)
    assert page.assets == [
        (
            "script" if asset.path.endswith(".js") else "link",
            f"/graphiql/{asset.path}",
            asset.integrity,
        )
        for asset in assets()
    ]
    assert [asset.path for asset in assets()] == [
        "react@18.2.0/umd/react.production.min.js",
        "react-dom@18.2.0/umd/react-dom.production.min.js",
        "js-cookie@3.0.5/dist/js.cookie.min.js",
        "graphiql@3.8.3/graphiql.min.css",
        "@graphiql/plugin-explorer@1.0.2/dist/style.css",
        "graphiql@3.8.3/graphiql.min.js",
        "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js",
    ]
    # and nothing else it loads is on a network: the favicon is a data: URL
    assert [url.split(",")[0] for url in page.other_urls] == ["data:image/svg+xml"]
    assert "unpkg.com" not in response.text and "jsdelivr" not in response.text
    # and the policy allows this host alone, and the inline script and style by hash
    assert len(page.inline["script"]) == 1 and len(page.inline["style"]) == 1
    assert _policy(response.headers["content-security-policy"]) == {
        "default-src": ["'none'"],
        "script-src": ["'self'", _sha256(page.inline["script"][0])],
        "style-src": ["'self'", _sha256(page.inline["style"][0])],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }


async def test_every_asset_is_served_for_good_with_its_media_type_and_manifest_hash(
    client: httpx.AsyncClient,
) -> None:
    for asset in assets():
        # when the browser fetches an asset the page names
        response = await client.get(f"/graphiql/{asset.path}")
        # then it is the vendored file, cacheable for a year, with its media type
        assert response.status_code == 200, asset.path
        assert response.headers["cache-control"] == CACHE_FOREVER
        assert response.headers["content-type"] == MEDIA_TYPES[asset.path[asset.path.rindex(".") :]]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert _sha512(response.content) == asset.integrity, asset.path


async def test_a_path_the_manifest_does_not_list_is_not_found(client: httpx.AsyncClient) -> None:
    for path in (
        "manifest.json",
        "react@18.2.0/umd/react.development.js",
        "graphiql@3.8.3/",
        "graphiql@3.8.4/graphiql.min.js",
    ):
        response = await client.get(f"/graphiql/{path}")
        assert response.status_code == 404, path


def test_every_vendored_file_matches_the_manifest_and_nothing_else_is_vendored() -> None:
    # given the manifest
    entries = json.loads(MANIFEST.read_text())["assets"]
    # then each file on disk has its sha512, and the folder holds exactly those files
    for entry in entries:
        data = (STATIC / entry["path"]).read_bytes()
        assert _sha512(data) == entry["integrity"], entry["path"]
        # and is byte for byte what unpkg serves for the page (its SRI hash upstream)
        assert matches(data, entry["upstreamIntegrity"]), entry["path"]
        assert entry["source"] == f"https://unpkg.com/{entry['path']}"
    on_disk = sorted(str(p.relative_to(STATIC)) for p in STATIC.rglob("*") if p.is_file())
    assert on_disk == sorted([MANIFEST.name, *(entry["path"] for entry in entries)])


def test_the_manifest_vendors_exactly_what_strawberrys_page_loads() -> None:
    # given the assets Strawberry's own GraphiQL page loads from unpkg
    upstream = upstream_assets(strawberry_page())
    entries = json.loads(MANIFEST.read_text())["assets"]
    # then the manifest lists the same files, in the same order, with the same SRI hashes
    # (after a Strawberry upgrade that changes them: run bin/vendor-graphiql)
    assert [(entry["path"], entry["upstreamIntegrity"]) for entry in entries] == [
        (asset.path, asset.upstream_integrity) for asset in upstream
    ]


async def test_graphiql_disabled_serves_neither_the_page_nor_its_assets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from asgi_lifespan import LifespanManager

    from app import create_app
    from settings import get_settings

    # given GRAPHIQL_ENABLED=false
    monkeypatch.setenv("GRAPHIQL_ENABLED", "false")
    get_settings.cache_clear()
    closed = create_app()
    async with LifespanManager(closed):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=closed), base_url="http://t"
        ) as http:
            # when a browser asks for the page and each asset
            page = await http.get("/graphql", headers={"accept": "text/html"})
            served = [(await http.get(f"/graphiql/{asset.path}")).status_code for asset in assets()]
            # and GraphQL itself still answers
            plain = await http.post("/graphql", json={"query": "{ __typename }"})
    # then neither is there
    assert page.status_code == 404
    assert "graphiql" not in page.text.lower()
    assert served == [404] * len(assets())
    assert plain.json() == {"data": {"__typename": "Query"}}
