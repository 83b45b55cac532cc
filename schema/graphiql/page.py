"""The GraphiQL page: Strawberry's page loading the vendored assets, under a
Content-Security-Policy that lets it reach its own host only.

Every asset tag carries the manifest's sha512 as its SRI `integrity`, so the browser checks
the bytes too. The page's one inline script and one inline style are allowed by their hashes
(computed here from `page.html`), never by 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from html import escape
from pathlib import Path

from starlette.responses import HTMLResponse

from schema.graphiql.manifest import Asset, assets

TEMPLATE = Path(__file__).parent / "page.html"
MARKER = "{assets}"
INLINE = re.compile(r"<(?P<tag>script|style)>(?P<body>.*?)</(?P=tag)>", re.DOTALL)


def _tag(asset: Asset) -> str:
    url, sri = escape(asset.url), escape(asset.integrity)
    if asset.is_script:
        return f'<script src="{url}" integrity="{sri}"></script>'
    return f'<link rel="stylesheet" href="{url}" integrity="{sri}" />'


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def content_security_policy(html: str) -> str:
    """Only this host: scripts and styles from it (and the page's own inline ones, by
    hash), requests and WebSockets to it ('self' covers ws: and wss: of the same host).
    `data:` is for the favicon and the fonts embedded in graphiql.min.css."""
    inline: dict[str, list[str]] = {"script": [], "style": []}
    for match in INLINE.finditer(html):
        inline[match["tag"]].append(_hash(match["body"]))
    return "; ".join(
        [
            "default-src 'none'",
            " ".join(["script-src 'self'", *inline["script"]]),
            " ".join(["style-src 'self'", *inline["style"]]),
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


@cache
def page_html() -> str:
    template = TEMPLATE.read_text()
    if template.count(MARKER) != 1:
        raise ValueError(f"{TEMPLATE} must hold {MARKER} exactly once")
    return template.replace(MARKER, "\n    ".join(_tag(asset) for asset in assets()))


def graphiql_page() -> HTMLResponse:
    html = page_html()
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": content_security_policy(html),
            # The page names versioned assets; the page itself is always asked for again.
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )
