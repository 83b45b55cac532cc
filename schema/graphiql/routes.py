"""GET /graphiql/<name@version/file>: the vendored assets the GraphiQL page loads.

Only the manifest's files are served (a path not listed is a 404, so nothing else under the
folder is reachable). The URL names the package version and the page checks each file's
sha512, so a response may be cached for a year and never revalidated.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from schema.graphiql.manifest import URL_PREFIX, assets_by_path

CACHE_FOREVER = "public, max-age=31536000, immutable"


async def graphiql_asset(request: Request) -> Response:
    asset = assets_by_path().get(request.path_params["path"])
    if asset is None:
        return PlainTextResponse("Not Found", status_code=404)
    return FileResponse(
        asset.file,
        media_type=asset.media_type,
        headers={"Cache-Control": CACHE_FOREVER, "X-Content-Type-Options": "nosniff"},
    )


ROUTES = [Route(URL_PREFIX + "{path:path}", graphiql_asset, methods=["GET"])]
