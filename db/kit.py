"""Kits and transfer files: an observer's copy of the mission, and a snapshot to hand over.

Both are written through a temporary file beside the output and a rename, so the output name
never holds half a file; both are made with SQLite's backup API, so they are consistent even
while Pollcheck has the source open; both are checked (``quick_check``, application id, schema,
mission) before the rename. They are written in rollback-journal mode, not WAL, so that they
can be read straight from read-only media; Pollcheck switches a file back to WAL when it opens
it for writing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import schema
from db.errors import InputError, Items, KnownError, Phrase, PollcheckError, known_error
from db.mission import Mission, now, open_mission

__all__ = [
    "KitRecord",
    "kit_contents",
    "kit_file_name",
    "list_kits",
    "make_kit",
    "make_kits",
    "send_file",
]

log = logging.getLogger("pollcheck")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_out(out: Path, source: Path, overwrite: bool) -> None:
    if out.exists():
        with contextlib.suppress(OSError):
            if os.path.samefile(out, source):
                raise InputError(Phrase("kit.same_file", path=str(out)))
        if not overwrite:
            raise InputError(Phrase("file.exists", path=str(out)))
        if Path(f"{out}-wal").exists():
            # Replacing a file beside its -wal would let SQLite replay the old saves onto it.
            raise InputError(Phrase("kit.wal", path=str(out)))
    if not out.parent.is_dir():
        raise InputError(Phrase("kit.no_folder", path=str(out.parent)))


@contextlib.contextmanager
def _temporary_beside(out: Path) -> Iterator[Path]:
    """A temporary file name in ``out``'s folder (so the rename is atomic); removed on failure."""
    try:
        fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise KnownError(
            Phrase("kit.folder_unwritable", path=str(out), error=str(exc.strerror or exc))
        ) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _snapshot(
    source: sqlite3.Connection,
    out: Path,
    mission_id: str,
    change: Callable[[sqlite3.Connection], None] | None = None,
) -> Path:
    """Back ``source`` up into ``out`` (through a temporary file), change it, check it, rename."""
    with _temporary_beside(out) as tmp:
        try:
            dest = sqlite3.connect(tmp, isolation_level=None)
            try:
                # One step: the copy is one consistent snapshot even if others write meanwhile.
                source.backup(dest)
                dest.execute("PRAGMA foreign_keys = ON")
                if change is not None:
                    change(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
                dest.execute("PRAGMA synchronous = FULL")
            finally:
                dest.close()
            _verify(tmp, mission_id)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, out)
        except sqlite3.Error as exc:
            raise known_error(exc, out) from exc
        except OSError as exc:
            raise KnownError(
                Phrase("kit.unwritable", path=str(out), error=str(exc.strerror or exc))
            ) from None
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        fd = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return out


def _verify(path: Path, mission_id: str) -> None:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        row = conn.execute("SELECT mission_id FROM mission WHERE id = 1").fetchone()
    finally:
        conn.close()
    if not ok or app != schema.APPLICATION_ID or version != schema.SCHEMA_VERSION:
        raise KnownError(Phrase("kit.check_failed", path=str(path)))
    if row is None or row[0] != mission_id:
        raise KnownError(Phrase("kit.not_mission", path=str(path)))


@contextlib.contextmanager
def _opened(mission: Mission | Path) -> Iterator[Mission]:
    if isinstance(mission, Mission):
        yield mission
    else:
        with open_mission(Path(mission), readonly=True) as opened:
            yield opened


def make_kit(
    hq: Mission | Path,
    out: Path,
    *,
    observer: str | None = None,
    regions: Sequence[str] = (),
    overwrite: bool = False,
) -> Path:
    """Write an observer's kit of the mission ``hq`` to ``out``.

    The kit is a mission file of the same mission (same ``mission_id``, a new ``copy_id``) with
    every form, the station registry (only the stations of ``regions``, if given), the observers'
    names, and no reports except those of ``observer`` (none without one). The merge log, the
    list of kits and the conflicts are left out. The kit is listed in ``hq``'s kits (see
    :func:`list_kits`) when ``hq`` can be written; a read-only copy makes kits all the same.
    Other observers' reports are not recoverable from the kit: it is rebuilt (VACUUM) after they
    are removed.

    Raises:
        InputError: ``out`` exists (without ``overwrite``) or is ``hq``; a region has no stations.
        KnownError: the file cannot be written.
    """
    out = Path(out)
    regions = tuple(dict.fromkeys(r.strip() for r in regions if r.strip()))
    with _opened(hq) as mission:
        _check_out(out, mission.path, overwrite)
        known = {
            r[0]
            for r in mission.conn.execute("SELECT DISTINCT region FROM stations")
            if r[0] is not None
        }
        unknown = [r for r in regions if r not in known]
        if unknown:
            raise InputError(
                Phrase(
                    "kit.no_region",
                    regions=Items((Phrase("quoted.repr", text=r) for r in unknown), shown=None),
                    known=Items(sorted(known), shown=None) if known else Phrase("none_yet"),
                )
            )
        info = mission.info()
        copy_id = str(uuid.uuid4())
        held: dict[str, int] = {}

        def change(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN")
            keep = "observer IS ?" if observer is not None else "0"
            gone = f"SELECT uuid FROM reports WHERE NOT ({keep})"
            params = (observer,) if observer is not None else ()
            conn.execute(f"DELETE FROM history WHERE report_uuid IN ({gone})", params)
            conn.execute(f"DELETE FROM conflicts WHERE report_uuid IN ({gone})", params)
            conn.execute(f"DELETE FROM reports WHERE NOT ({keep})", params)
            conn.execute("DELETE FROM merges")
            conn.execute("DELETE FROM kits")
            if regions:
                marks = ", ".join("?" for _ in regions)
                conn.execute(
                    f"DELETE FROM stations WHERE region IS NULL OR region NOT IN ({marks})",
                    regions,
                )
            conn.execute("UPDATE mission SET copy_id = ? WHERE id = 1", (copy_id,))
            (held["stations"],) = conn.execute("SELECT count(*) FROM stations").fetchone()
            (held["reports"],) = conn.execute(
                "SELECT count(*) FROM reports WHERE NOT deleted"
            ).fetchone()
            conn.execute("COMMIT")
            conn.execute("VACUUM")  # nothing of the removed reports stays in free pages

        made = _snapshot(mission.conn, out, info.mission_id, change)
    _record_kit(
        hq,
        (
            now(),
            made.name,
            copy_id,
            observer,
            json.dumps(list(regions), ensure_ascii=False),
            held["stations"],
            held["reports"],
        ),
    )
    return made


def kit_contents(
    mission: Mission, *, observer: str | None = None, regions: Sequence[str] = ()
) -> tuple[int, int]:
    """How many stations and reports a kit of ``mission`` for ``observer`` and ``regions`` would
    hold, counted as :func:`make_kit` keeps them (with no region given, stations without a
    region too)."""
    regions = tuple(dict.fromkeys(r.strip() for r in regions if r.strip()))
    marks = ", ".join("?" for _ in regions)
    where = f" WHERE region IN ({marks})" if regions else ""
    (stations,) = mission.conn.execute(f"SELECT count(*) FROM stations{where}", regions).fetchone()
    reports = 0
    if observer is not None:
        (reports,) = mission.conn.execute(
            "SELECT count(*) FROM reports WHERE observer IS ? AND NOT deleted", (observer,)
        ).fetchone()
    return stations, reports


def kit_file_name(observer: str | None, mission: Path) -> str:
    """The file name a kit gets by default: "<observer> kit.pollcheck" (or the mission file's
    name), without the characters Windows refuses in file names."""
    text = f"{observer} kit" if observer else f"{mission.stem} kit"
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in text)
    return (cleaned.strip(" .") or "kit") + mission.suffix


def make_kits(
    hq: Path,
    folder: Path,
    observers: Sequence[str],
    *,
    regions: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Path], list[Path]]:
    """One kit per observer in ``folder``, each named by :func:`kit_file_name`: the kits made,
    and the files left alone because a file of that name is there already.

    Raises:
        InputError, KnownError: as :func:`make_kit`, for the first kit that cannot be made (the
            kits made before it stay).
    """
    made: list[Path] = []
    there: list[Path] = []
    for done, observer in enumerate(observers):
        if progress is not None:
            progress(done, len(observers))
        out = Path(folder) / kit_file_name(observer, Path(hq))
        if out.exists():
            there.append(out)
            continue
        made.append(make_kit(hq, out, observer=observer, regions=regions))
    if progress is not None:
        progress(len(observers), len(observers))
    return made, there


def _record_kit(hq: Mission | Path, row: tuple[Any, ...]) -> None:
    """List the kit in ``hq``'s kits, if ``hq`` can be written (a read-only copy cannot)."""
    sql = (
        "INSERT INTO kits (made_at, file_name, copy_id, observer, regions, stations, reports)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    try:
        if isinstance(hq, Mission):
            if not hq.readonly:
                with hq.transaction() as conn:
                    conn.execute(sql, row)
            return
        with open_mission(hq) as mission, mission.transaction() as conn:
            conn.execute(sql, row)
    except PollcheckError as exc:  # the kit is made all the same
        log.warning("the kit %s is not listed in %s: %s", row[1], hq, exc.message)


@dataclass(frozen=True)
class KitRecord:
    """A kit made from this mission file, and the files merged since from that copy.

    ``files_back`` counts the merges of files of the kit's copy (``copy_id``: what the observer
    sent with 'Prepare file for HQ', or the kit itself), refused ones not counted; ``last_back``
    is when the latest of them was merged (UTC), or None if none has come back yet.
    """

    made_at: str
    file_name: str
    copy_id: str
    observer: str | None
    regions: tuple[str, ...]
    stations: int
    reports: int
    files_back: int
    last_back: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json``)."""
        fields = {f: getattr(self, f) for f in self.__dataclass_fields__}
        return {**fields, "regions": list(self.regions)}


def list_kits(mission: Mission) -> list[KitRecord]:
    """The kits made from the mission file, the oldest first, each with the files back from it."""
    back: dict[str, tuple[int, str]] = {}
    for copy_id, merged_at in mission.conn.execute(
        "SELECT copy_id, merged_at FROM merges WHERE copy_id IS NOT NULL AND outcome != 'refused'"
        " ORDER BY id"
    ):
        count, _ = back.get(copy_id, (0, ""))
        back[copy_id] = (count + 1, merged_at)
    kits = []
    for made_at, file_name, copy_id, observer, regions, stations, reports in mission.conn.execute(
        "SELECT made_at, file_name, copy_id, observer, regions, stations, reports FROM kits"
        " ORDER BY id"
    ):
        try:
            listed = json.loads(regions)
        except (TypeError, ValueError):
            listed = []
        count, last = back.get(copy_id, (0, None))
        kits.append(
            KitRecord(
                made_at,
                file_name,
                copy_id,
                observer,
                tuple(r for r in listed if isinstance(r, str)) if isinstance(listed, list) else (),
                stations,
                reports,
                count,
                last,
            )
        )
    return kits


def send_file(path: Path, out: Path, *, overwrite: bool = False) -> Path:
    """Write a consistent single-file snapshot of the mission file ``path`` to ``out``.

    Safe while Pollcheck (or anything else) has ``path`` open: it is made with SQLite's backup
    API, so saves sitting in the ``-wal`` file are included. The copy is checked after writing.
    This is "Prepare file for HQ" in the program.

    Raises:
        NotAMissionError: ``path`` is not a mission file.
        InputError: ``out`` exists (without ``overwrite``) or is ``path``.
        KnownError: the file cannot be written.
    """
    path, out = Path(path), Path(out)
    with open_mission(path, readonly=True) as mission:
        _check_out(out, path, overwrite)
        return _snapshot(mission.conn, out, mission.info().mission_id)
