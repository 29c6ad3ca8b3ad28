"""Rasa's YAML parsing and schema validation remembered by content, across trainings.

Rasa reads every training file with ruamel's pure-Python parser, and twice: once with the
round-trip loader to check it against Rasa's schema (pykwalify), once to read it; the domain
is read twice more for the NLU importer. Reading `data/` and `domain.yml` took about 3.6 s
of every training (108 parses of 39 distinct texts, 27 schema checks of 17), although a
retrain after an NLU change changes one file.

Here a safe-loader parse is kept under the SHA-256 of its text and the ruamel and Rasa versions:
in memory, and as a pickle in `<Rasa's cache directory>/yaml/`, so a later training parses
only the files that changed. Each call gets its own copy (callers change what they read).
A schema check that passed is remembered the same way; one that fails is not, and raises
every time, as Rasa's does. Installed with the training patches (bot/rasa_compat.py).

An example's entity written as a dict (`[e-mail address]{"entity": "enquiry_field", ...}`)
is checked against Rasa's JSON schema, and `jsonschema.validate` checks the schema itself
first, every time: about 1 s of reading our 74 such examples (py-spy). The 7 distinct
dicts are checked once per process (`validated_entity_dict`); an invalid one raises every
time, as in Rasa.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

import rasa
import rasa.shared.nlu.training_data.entities_parser as entities_parser
import rasa.shared.utils.io as rasa_io
import rasa.shared.utils.validation as rasa_validation
import ruamel.yaml

_READ_YAML = rasa_io.read_yaml
_VALIDATE = rasa_validation.validate_yaml_schema
_ENTITY_DICT = entities_parser.get_validated_dict
_parsed: dict[str, bytes] = {}
_valid: set[str] = set()


def cache_directory() -> Path:
    """Where parses are kept: beside Rasa's training cache."""
    return Path(os.environ.get("RASA_CACHE_DIRECTORY") or ".rasa/cache") / "yaml"


def _key(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in (rasa.__version__, ruamel.yaml.__version__, *parts):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _stored(key: str) -> bytes | None:
    if key in _parsed:
        return _parsed[key]
    try:
        data = (cache_directory() / f"{key}.pickle").read_bytes()
    except OSError:
        return None
    _parsed[key] = data
    return data


def _store(key: str, data: bytes) -> None:
    _parsed[key] = data
    path = cache_directory() / f"{key}.pickle"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # atomic: a parallel training never reads half a file
    except OSError:
        pass  # a read-only checkout still trains, parsing every time


def read_yaml(content: str, reader_type: str | list[str] = "safe") -> Any:
    """Rasa's `read_yaml`, a text parsed once by the safe loader. The round-trip loader's
    parses (line numbers for schema errors) are left alone: only schema checks use them."""
    if reader_type != "safe" or "${" in content:
        # A text with environment variables (endpoints.yml) reads differently as they change.
        return _READ_YAML(content, reader_type)
    key = _key("parse", content)
    data = _stored(key)
    if data is not None:
        try:
            return pickle.loads(data)  # noqa: S301 (our own cache)
        except Exception:  # noqa: BLE001 (a damaged entry is parsed again)
            pass
    result = _READ_YAML(content, reader_type)
    try:
        _store(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 (an unpicklable parse is not kept)
        return result
    return pickle.loads(_parsed[key])  # noqa: S301 (the caller's own copy)


def validate_yaml_schema(
    yaml_file_content: str, schema_path: str, *args: Any, **kwargs: Any
) -> None:
    """Rasa's `validate_yaml_schema`, a text that passed once passing again."""
    key = _key("valid", schema_path, args, sorted(kwargs.items()), yaml_file_content)
    marker = cache_directory() / f"{key}.valid"
    if key in _valid or marker.exists():
        _valid.add(key)
        return
    _VALIDATE(yaml_file_content, schema_path, *args, **kwargs)
    _valid.add(key)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


@functools.lru_cache(maxsize=1024)
def _checked_entity_dict(json_str: str) -> tuple[tuple[str, Any], ...]:
    return tuple(_ENTITY_DICT(json_str).items())


def validated_entity_dict(json_str: str) -> dict[str, Any]:
    """Rasa's `get_validated_dict`, each distinct text checked once; the caller's own dict."""
    return dict(_checked_entity_dict(json_str))


def install() -> None:
    """Remembered parses and schema checks (idempotent)."""
    rasa_io.read_yaml = read_yaml
    rasa_validation.validate_yaml_schema = validate_yaml_schema
    entities_parser.get_validated_dict = validated_entity_dict


def uninstall() -> None:
    rasa_io.read_yaml = _READ_YAML
    rasa_validation.validate_yaml_schema = _VALIDATE
    entities_parser.get_validated_dict = _ENTITY_DICT
    _checked_entity_dict.cache_clear()
    _parsed.clear()
    _valid.clear()
