"""The program's own settings: identity, language, recent files, window layout, the open report.

Kept with QSettings in ``settings.ini`` in the per-user folder of :func:`db.device.config_dir`
(beside the device id), never in the registry, so that tests and portable copies are isolated
by ``POLLCHECK_CONFIG_DIR`` and a coordinator can see and delete the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QByteArray, QLocale, QSettings

from db.device import config_dir

LANGUAGES = ("en", "ru")
MAX_RECENT = 8


class OpenReport(NamedTuple):
    """The report that was open in a mission when the program last ran, and where.

    A named tuple rather than a frozen dataclass: it costs a sixth of the start-up time to make.
    """

    uuid: str
    section: int


def _mission_key(path: Path | str) -> str:
    # The path itself is not written as a key: a seized laptop should not list missions in it.
    import hashlib  # on first use: OpenSSL's start costs start-up time

    resolved = str(Path(path).resolve())
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:20]


class Settings:
    """Typed access to the program's settings; every write is synced to disk at once.

    Syncing at once matters for the open report: the program may be killed at any moment, and
    the next start must still find where the observer was.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.ini"
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _set(self, key: str, value: object) -> None:
        if self._q.contains(key) and self._q.value(key) == value:
            return  # nothing new: a sync rewrites the file (opening a mission sets the same)
        self._q.setValue(key, value)
        self._q.sync()

    def _text(self, key: str) -> str:
        value = self._q.value(key, "")
        return value if isinstance(value, str) else ""

    # -- identity ---------------------------------------------------------------------------
    @property
    def observer(self) -> str:
        return self._text("identity/observer")

    @observer.setter
    def observer(self, name: str) -> None:
        self._set("identity/observer", " ".join(name.split()))

    @property
    def team(self) -> str:
        return self._text("identity/team")

    @team.setter
    def team(self, team: str) -> None:
        self._set("identity/team", " ".join(team.split()))

    def has_identity(self) -> bool:
        """True once the observer has given a name (the first start asks for it)."""
        return bool(self.observer)

    @property
    def language(self) -> str:
        """The interface language: ``en`` or ``ru`` (the system's, until one is chosen)."""
        lang = self._text("interface/language")
        if lang in LANGUAGES:
            return lang
        system = QLocale.system().name().split("_")[0]
        return system if system in LANGUAGES else "en"

    @language.setter
    def language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"Interface language {lang!r} is not one of {LANGUAGES}.")
        self._set("interface/language", lang)

    # -- recent missions --------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Mission files opened lately, newest first (ones that no longer exist left out)."""
        try:
            items = json.loads(self._text("recent/files") or "[]")
        except ValueError:
            return []
        return [p for p in items if isinstance(p, str) and Path(p).is_file()]

    def add_recent(self, path: Path | str) -> None:
        resolved = str(Path(path).resolve())
        items = [resolved] + [p for p in self.recent_files() if p != resolved]
        self._set("recent/files", json.dumps(items[:MAX_RECENT], ensure_ascii=False))

    def clear_recent(self) -> None:
        """Forget recent missions, the last folder and where each mission was left open."""
        self._q.remove("recent")
        self._q.remove("session")
        self._q.remove("paths")
        self._q.sync()

    @property
    def last_folder(self) -> str:
        return self._text("paths/last_folder")

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        self._set("paths/last_folder", folder)

    # -- the report left open ---------------------------------------------------------------
    def open_report(self, mission_path: Path | str) -> OpenReport | None:
        self._q.beginGroup("session")
        remembered = bool(self._q.childKeys())
        self._q.endGroup()
        if not remembered:
            return None  # no report is open anywhere: no need to work out the mission's key
        raw = self._text(f"session/{_mission_key(mission_path)}")
        try:
            data = json.loads(raw) if raw else None
            return OpenReport(str(data["uuid"]), int(data["section"])) if data else None
        except (ValueError, KeyError, TypeError):
            return None

    def set_open_report(self, mission_path: Path | str, uuid: str, section: int) -> None:
        current = self.open_report(mission_path)
        if current == OpenReport(uuid, section):
            return  # nothing to write: section changes are frequent
        value = json.dumps({"uuid": uuid, "section": section})
        self._set(f"session/{_mission_key(mission_path)}", value)

    def clear_open_report(self, mission_path: Path | str) -> None:
        self._q.remove(f"session/{_mission_key(mission_path)}")
        self._q.sync()

    # -- window layout ----------------------------------------------------------------------
    def layout(self, name: str) -> QByteArray | None:
        """A saved geometry or splitter state, or None."""
        value = self._q.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, name: str, state: QByteArray) -> None:
        self._set(f"layout/{name}", state)
