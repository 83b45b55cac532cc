"""`GET /ops/export`: the platform's data as canonical NDJSON (docs/ops.md), streamed from
keyset pages; migration operators only (Bearer access token). 401 without a valid token,
403 FORBIDDEN for anyone else."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from resolvers.auth.authenticate import principal_from_token
from resolvers.auth.tokens import InvalidToken
from resolvers.errors import AccessError
from resolvers.migration.export import export_lines
from resolvers.migration.operators import require_operator
from resolvers.principal import ANONYMOUS, Principal
from schema.failures import error_response, scope_request_id

STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}


async def export(request: Request) -> Response:
    request_id = scope_request_id(request.scope)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    principal: Principal = ANONYMOUS
    if scheme.lower() == "bearer" and token.strip():
        try:
            principal = await principal_from_token(token.strip())
        except InvalidToken:
            principal = ANONYMOUS
    try:
        await require_operator(principal)
    except AccessError as error:
        return error_response(
            STATUS.get(error.code, 403), str(error), error.code, request_id=request_id
        )
    return StreamingResponse(
        export_lines(),
        media_type="application/x-ndjson",
        headers={
            "Content-Disposition": 'attachment; filename="genarrative-export.ndjson"',
            "Cache-Control": "no-store",
            "X-Request-ID": request_id,
        },
    )


ROUTES = [Route("/ops/export", export, methods=["GET"])]
