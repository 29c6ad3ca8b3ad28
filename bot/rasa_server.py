"""`python -m bot.rasa_server run ...`: Rasa's own command line, with this project's patches
(bot/rasa_compat.py) installed first, explicitly, and refused on a Rasa they do not fit;
with several workers, each listens on its own socket (bot/sanic_workers.py).

`make run`, `make cluster` and the tests start the Rasa server this way."""

from __future__ import annotations

import os
import signal
import sys


def _reset_worker_signals() -> None:
    """In a forked Sanic worker: die on SIGTERM until Sanic installs its own handler.

    Sanic 21.12's multi-worker runner forks its workers with the parent's SIGTERM handler,
    which only forwards the signal to the siblings started earlier; a worker still loading
    its model (about 40 s) therefore drops a SIGTERM and serves on for ever, holding the
    port after its parent has been killed. With the default action it simply ends; Sanic
    replaces it with a graceful stop once the worker serves. SIGINT is left to the parent,
    as Sanic itself does once the worker serves."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def main() -> None:
    """Install the patches, then run Rasa's CLI with this process's arguments."""
    # Imports Rasa and Sanic: not at module level, so tests import this module cheaply.
    from bot import rasa_compat, sanic_workers

    rasa_compat.install()
    sanic_workers.install()
    os.register_at_fork(after_in_child=_reset_worker_signals)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
