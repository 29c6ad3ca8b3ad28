"""The trained model's archive written without compression (gzip's level 0).

Rasa writes `models/<name>.tar.gz` at gzip's level 9: 2.5 s for our 51 MB of weights, which
hardly compress: 47.3 MB at level 9, 47.6 MB at level 1 (1.4 s), 53.1 MB stored at level 0
(0.06 s). Every training ends with it, a retrain from the cache or a fine-tune included, and
a fine-tune starts by unpacking the last archive. The file stays a gzip archive that Rasa,
`tar` and any server read as before.
"""

from __future__ import annotations

from typing import Any

import rasa.engine.storage.local_model_storage as local_model_storage

TarSafe = local_model_storage.TarSafe  # Rasa's safe tarfile (the tarsafe package)

COMPRESS_LEVEL = 0


class FastTarSafe(TarSafe):
    """Rasa's `TarSafe`, writing gzip archives at COMPRESS_LEVEL."""

    @classmethod
    def open(cls, name: Any = None, mode: str = "r", *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if mode.startswith(("w:gz", "x:gz")):
            kwargs.setdefault("compresslevel", COMPRESS_LEVEL)
        return super().open(name, mode, *args, **kwargs)


def install() -> None:
    """Rasa's model storage writes archives with `FastTarSafe` (idempotent)."""
    local_model_storage.TarSafe = FastTarSafe  # type: ignore[misc]


def uninstall() -> None:
    local_model_storage.TarSafe = TarSafe  # type: ignore[misc]
