"""`python -m bot.rasa_server run ...`: Rasa's own command line, with this project's patches
(bot/rasa_compat.py) installed first, explicitly, and refused on a Rasa they do not fit.

`make run`, `make cluster` and the tests start the Rasa server this way."""

from __future__ import annotations

import sys

from bot import rasa_compat


def main() -> None:
    """Install the patches, then run Rasa's CLI with this process's arguments."""
    rasa_compat.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
