"""The action server: rasa_sdk's app, answering only the Rasa servers.

rasa_sdk's own server listens on every interface and runs any action for anyone who can
reach it, so one forged POST could store an enquiry with consent and confirmation set by the
sender. Here it listens on loopback unless `ACTION_HOST` says otherwise, and every call but
`/health` must carry the shared secret `ACTION_SERVER_TOKEN`, which the Rasa server sends as
the `token` query parameter (endpoints.yml `action_endpoint.token`, Rasa's own mechanism).
`make run` and `make cluster` generate a fresh secret for each start.

It also replays the enquiry spool in the background (bot/enquiries/replayer.py): at start-up
and every ENQUIRY_SPOOL_REPLAY_SECONDS (default 60, 0 for never), so an enquiry spooled while
the database was away is stored within minutes of its return without waiting for the next
submission. The replay runs in a worker thread and stops with the server.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys

from rasa_sdk.endpoint import create_app as create_rasa_sdk_app
from sanic import Sanic, response

from bot.enquiries.replayer import SpoolReplayer, replay_interval_from_env

TOKEN_ENV = "ACTION_SERVER_TOKEN"
HOST_ENV = "ACTION_HOST"
DEFAULT_HOST = "127.0.0.1"
MIN_TOKEN_LENGTH = 24
_OPEN_PATHS = frozenset({"/health"})

logger = logging.getLogger(__name__)


def authorised(supplied: str | None, token: str) -> bool:
    """Whether a request carries the shared secret (constant-time comparison)."""
    return bool(supplied) and hmac.compare_digest(str(supplied).encode(), token.encode())


def create_app(
    token: str, package: str = "actions", *, replayer: SpoolReplayer | None = None
) -> Sanic:
    """rasa_sdk's app for `package`, refusing every call without the token (401), and
    replaying the enquiry spool in the background while it serves (`replayer`, default: every
    ENQUIRY_SPOOL_REPLAY_SECONDS)."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(f"{TOKEN_ENV} must have at least {MIN_TOKEN_LENGTH} characters")
    app = create_rasa_sdk_app(package, cors_origins=None)

    @app.middleware("request")
    async def only_the_rasa_server(request):  # type: ignore[no-untyped-def]
        if request.path in _OPEN_PATHS:
            return None
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if authorised(request.args.get("token") or bearer, token):
            return None
        logger.warning("Refused an action call without the shared secret from %s", request.ip)
        return response.json({"error": "unauthorised"}, status=401)

    spool_replayer = replayer or SpoolReplayer(replay_interval_from_env())
    app.ctx.spool_replayer = spool_replayer

    @app.listener("after_server_start")
    async def start_spool_replay(app, loop):  # type: ignore[no-untyped-def]
        spool_replayer.start()

    @app.listener("before_server_stop")
    async def stop_spool_replay(app, loop):  # type: ignore[no-untyped-def]
        await spool_replayer.stop()

    return app


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.action_server --port 5055`."""
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get(HOST_ENV) or DEFAULT_HOST)
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "")
    try:
        app = create_app(token)
    except ValueError as error:
        print(f"Action server not started: {error}.", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
