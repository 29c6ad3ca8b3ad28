"""Several Sanic workers, each listening on its own socket, so both cores get connections.

Sanic 21.12's `serve_multiple` binds one listening socket in the parent and every forked
worker accepts from it. The event loop of whichever worker wakes first drains the whole
accept queue, and a client keeps its connection: when a burst of visitors connects while
one worker is busy, the idle one takes them all and the other core idles for as long as
they stay. `make bench` showed it at random: levels at 24-26 msg/s (one core; `ss` listed
all 16 client connections on one worker) between levels at 43-48 msg/s.

`install()` replaces it with the same supervisor (start events, forked workers, SIGINT and
SIGTERM forwarded, stop events), but the parent binds nothing: each worker binds its own
SO_REUSEPORT socket when it starts serving, and the kernel spreads new connections over
them by hash. A Unix socket or a socket passed in keeps Sanic's own path.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from typing import Any

import sanic.app
from sanic.log import logger
from sanic.server import runners
from sanic.server.events import trigger_events

_SANIC_SERVE_MULTIPLE = runners.serve_multiple


def serve_multiple(server_settings: dict[str, Any], workers: int) -> None:
    """Start `workers` Sanic workers, each on its own SO_REUSEPORT socket; wait for them."""
    if server_settings.get("sock") is not None or server_settings.get("unix"):
        _SANIC_SERVE_MULTIPLE(server_settings, workers)
        return
    server_settings["reuse_port"] = True
    server_settings["run_multiple"] = True
    main_start = server_settings.pop("main_start", None)
    main_stop = server_settings.pop("main_stop", None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    trigger_events(main_start, loop)

    processes: list[multiprocessing.process.BaseProcess] = []

    def forward(signum: int, _frame: object) -> None:
        logger.info("Received signal %s. Shutting down.", signal.Signals(signum).name)
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    context = multiprocessing.get_context("fork")
    for _ in range(workers):
        process = context.Process(target=runners.serve, kwargs=server_settings, daemon=True)
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    for process in processes:
        process.terminate()
    trigger_events(main_stop, loop)
    loop.close()


def install() -> None:
    """Make `Sanic.run(workers=N)` use `serve_multiple` above (idempotent)."""
    sanic.app.serve_multiple = serve_multiple  # type: ignore[attr-defined]
