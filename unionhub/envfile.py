"""The stack's environment file: what ``make stack`` runs with, read by ``manage.py`` beside it.

``make stack`` (``.ci/stack``) writes its settings - database, Redis, the secret key's file, media root,
ports - to ``STACK_DIR/env`` (``.stack/env`` by default), readable by its owner only. ``manage.py`` reads
that file before Django starts, so ``make backup``, ``make restore`` and any management command run in a
second shell act on the stack's site, not on a default SQLite file. A variable already set in the
environment wins over the file. ``UNIONHUB_ENV_FILE`` names another file (a server's
``/etc/unionhub/unionhub.env``, the format of systemd's ``EnvironmentFile=``), or ``none`` to read none
(``make run`` and the tests: the demo site must never pick up a stack's database).

Imports nothing of Django: it runs before the settings exist."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOADED_FROM = "UNIONHUB_ENV_LOADED_FROM"  # set to the file's path once read: say which site a command acts on


def env_file_path(environ=os.environ) -> Path | None:
    """The file to read: ``UNIONHUB_ENV_FILE``, else ``STACK_DIR/env``, else ``.stack/env`` beside manage.py."""
    named = environ.get("UNIONHUB_ENV_FILE", "").strip()
    if named.lower() in {"none", "0", "off", "false"}:
        return None
    if named:
        return Path(named)
    stack = environ.get("STACK_DIR", "").strip()
    return Path(stack) / "env" if stack else BASE_DIR / ".stack" / "env"


def env_file_parse(text: str) -> dict[str, str]:
    """``KEY=value`` lines (blank lines and ``#`` comments skipped; a value in matching quotes is unquoted)."""
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key, value = key.strip().removeprefix("export ").strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def env_file_load(environ=os.environ) -> Path | None:
    """Read the environment file into ``environ`` (what is already set wins); the file read, or None."""
    path = env_file_path(environ)
    if path is None or not path.is_file():
        if path is not None and environ.get("UNIONHUB_ENV_FILE", "").strip():
            raise SystemExit(f"unionhub: configuration error: UNIONHUB_ENV_FILE: {path} does not exist")
        return None
    try:
        text = path.read_text()
    except PermissionError:
        raise SystemExit(
            f"unionhub: configuration error: {path} (the stack's settings) is readable by its owner only; "
            "run this as the user who started the stack"
        ) from None
    for key, value in env_file_parse(text).items():
        environ.setdefault(key, value)
    environ[LOADED_FROM] = str(path)
    return path
