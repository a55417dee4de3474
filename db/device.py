"""This installation's device id and the per-user folder where Pollcheck keeps it."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def config_dir() -> Path:
    """The per-user folder for Pollcheck's own files (never inside the install folder)."""
    override = os.environ.get("POLLCHECK_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "Pollcheck"


def device_id() -> str:
    """A random id made once per installation, recorded with every report it saves.

    ``POLLCHECK_DEVICE`` overrides it (scripts, tests). If the folder cannot be written the id
    is still returned, just not kept.
    """
    override = os.environ.get("POLLCHECK_DEVICE")
    if override:
        return override
    path = config_dir() / "device-id"
    try:
        # Bytes decoded, not read_text(): a text file's reader loads the codec's module at start.
        text = path.read_bytes().decode("ascii").strip()
        if text:
            return text
    except OSError:
        pass
    import uuid  # imported on first use: start-up time (uuid imports platform)

    new = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new + "\n", encoding="ascii")
    except OSError:
        pass
    return new
