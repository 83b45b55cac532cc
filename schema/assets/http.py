"""The byte routes beside /graphql: PUT an upload to its ticket URL, GET a signed read URL."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from resolvers.assets.errors import AssetError, AssetErrorCode
from resolvers.assets.objects import object_for_read_url
from resolvers.assets.storage import get_storage
from resolvers.assets.uploads import receive_upload
from resolvers.errors import NotFound

STATUS = {
    AssetErrorCode.SIGNATURE_INVALID: 403,
    AssetErrorCode.TICKET_EXPIRED: 403,
    AssetErrorCode.TICKET_NOT_FOUND: 404,
    AssetErrorCode.ALREADY_UPLOADED: 409,
    AssetErrorCode.SIZE_MISMATCH: 400,
    AssetErrorCode.HASH_MISMATCH: 400,
}


def _error(status: int, code: str, message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def upload(request: Request) -> Response:
    ticket_id = request.path_params["ticket_id"]
    try:
        result = await receive_upload(
            ticket_id=ticket_id,
            expires=request.query_params.get("expires"),
            signature=request.query_params.get("signature"),
            chunks=request.stream(),
        )
    except AssetError as error:
        return _error(STATUS.get(AssetErrorCode(error.code), 400), str(error.code), error.message)
    return Response(
        orjson.dumps({"ticketId": result.ticket_id, "size": result.size, "sha256": result.sha256}),
        status_code=200,
        media_type="application/json",
    )


async def read(request: Request) -> Response:
    try:
        asset = await object_for_read_url(
            asset_object_id=request.path_params["asset_object_id"],
            expires=request.query_params.get("expires"),
            signature=request.query_params.get("signature"),
        )
    except NotFound as error:
        return _error(404, "NOT_FOUND", str(error))
    path = get_storage().local_path(asset.bucket, asset.object_key)
    if not path.is_file():
        return _error(404, "NOT_FOUND", "The object's bytes are missing.")
    return FileResponse(
        path,
        media_type=asset.content_type or "application/octet-stream",
        headers={"Cache-Control": "private, max-age=600", "X-Content-Type-Options": "nosniff"},
    )


ROUTES = [
    Route("/assets/uploads/{ticket_id}", upload, methods=["PUT"]),
    Route("/assets/objects/{asset_object_id}", read, methods=["GET"]),
]
