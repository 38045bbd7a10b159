"""Guards for the explorer's server: a request-body size limit, security headers, one-line validation errors."""

from __future__ import annotations

import json
from typing import Any

# The page loads only its own files; Plotly sets inline styles and draws images from data: URLs.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class BodyLimit:
    """ASGI middleware: answer 413 to a request whose body is larger than `max_bytes` (declared or streamed)."""

    def __init__(self, app: Any, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await _too_large(send, self.max_bytes)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send, self.max_bytes)


class _TooLarge(Exception):
    pass


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"error": f"the request body is larger than {limit:,} bytes", "parameter": "body",
                       "value": None, "allowed": f"at most {limit:,} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def one_line(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """FastAPI's validation errors as the command line's one line: the parameter, the value, what is allowed."""
    if not errors:
        return {"error": "invalid request", "parameter": "", "value": None, "allowed": ""}
    e = errors[0]
    loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path")]
    parameter = ".".join(loc) or "body"
    value = e.get("input")
    value = value if isinstance(value, (int, float, str, bool)) or value is None else None
    shown = repr(value)[:60] if value is not None else ""
    msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
    if e.get("type") == "extra_forbidden":
        msg = "unknown field"
    elif e.get("type") == "missing":
        msg = "required but missing"
    more = f" ({len(errors) - 1} more problem(s) after this one)" if len(errors) > 1 else ""
    return {"error": f"{parameter}: {shown + ': ' if shown else ''}{msg}{more}", "parameter": parameter,
            "value": value, "allowed": msg}
