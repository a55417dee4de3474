"""Merging mission files: every source checked as untrusted, then merged in one transaction each.

The rules (docs/merging.md explains them for coordinators):

- A report is its UUID. Of all versions of a report seen, the one that wins is the greatest by
  (revision, deleted, content_sha): a higher revision wins; at the same revision a deletion wins;
  then the larger digest. Versions with the same content that differ only in bookkeeping (when,
  on which device) are ordered by those fields, so even they are picked the same way every time.
- History is a set: rows are keyed by (report, revision, content_sha). Two versions of a report
  with the same revision and other content are a *conflict*, recorded once per pair.
- The winner is a maximum over a total order and history and conflicts are set unions, so
  merging is idempotent, commutative and associative: any order and grouping of the same files
  gives the same reports, history and conflicts.
- Forms, stations and observers the target lacks are added; what the target has is kept, and
  differences are reported, never overwritten.

Sources come in *kinds*. Each kind checks a file and attaches it as the schema ``src`` with the
mission file's tables; everything after that (row checks, the rules, the log) is the same for
every kind. Mission files are one kind. Pollcheck workbooks (the Reports sheet of an Excel
export, which carries report ids and revisions) are the other: their kind reads the sheet as
``pollcheck reports import`` does, builds a temporary mission database of the target's mission
holding each row as a report at the row's revision, and attaches that.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from db import schema
from db.errors import InputError, Items, KnownError, Phrase, Problem, known_error, place
from db.forms import get_form, view_name, view_sql
from db.mission import Mission, create_mission, now, open_mission
from db.reports import STATUSES, content_sha
from db.reports_import import SheetReport, parse_timestamp, read_columns, read_reports
from db.stations import normalise_key
from db.tables import Table, read_table
from forms.definition import form_from_dict
from forms.messages import LANGUAGES
from forms.model import Form

__all__ = [
    "Conflict",
    "LoggedMerge",
    "MergeResult",
    "Saved",
    "SourceResult",
    "check_source",
    "list_conflicts",
    "merge",
    "merge_log",
    "source_kind",
]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

_SQLITE_HEADER = b"SQLite format 3\x00"
_ZIP_HEADER = b"PK\x03\x04"
_HEX = "[0-9a-f]"
_UUID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))
_SHA_GLOB = _HEX * 64
_SHOWN = 5  # rows named in one problem; the rest are counted
# The merge connection's page cache: large enough that a growing target does not thrash it,
# and fixed, so memory does not grow with the number of files.
_CACHE_KIB = 65536


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceResult:
    """What merging one source did, or would do (dry run), or why it was refused.

    ``outcome`` is ``merged``, ``nothing new`` (the target had it all), ``refused`` (see
    ``problems``; nothing of it was written) or ``skipped`` (the merge was cancelled first).
    Reports are counted by what the source held compared with the target: ``reports_new``
    (unknown to the target), ``reports_newer`` (replace the target's version), ``reports_unchanged``
    (the same version), ``reports_older`` (the target has a later version).
    """

    path: Path
    outcome: str
    sha256: str | None = None
    kind: str = "mission file"
    problems: tuple[Problem, ...] = ()
    copy_id: str | None = None
    devices: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    reports_new: int = 0
    reports_newer: int = 0
    reports_unchanged: int = 0
    reports_older: int = 0
    history_added: int = 0
    conflicts: int = 0
    forms_added: tuple[str, ...] = ()
    forms_differing: tuple[str, ...] = ()
    stations_added: int = 0
    stations_differing: tuple[str, ...] = ()
    observers_added: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"

    @property
    def reason(self) -> str:
        """The problems in one line (empty unless refused)."""
        return " ".join(str(p) for p in self.problems)

    def reason_text(self, language: str = "en") -> str:
        """:attr:`reason` in ``language``."""
        return " ".join(p.text(language) for p in self.problems)

    def changed(self) -> bool:
        """True if merging it added or replaced anything in the target."""
        return bool(
            self.reports_new
            or self.reports_newer
            or self.history_added
            or self.conflicts
            or self.forms_added
            or self.stations_added
            or self.observers_added
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json`` and logs)."""
        return {
            "path": str(self.path),
            "name": self.name,
            "kind": self.kind,
            "sha256": self.sha256,
            "outcome": self.outcome,
            "problems": [
                {"code": p.code, "where": p.where, "what": p.what, "fix": p.fix}
                for p in self.problems
            ],
            "copy_id": self.copy_id,
            "devices": list(self.devices),
            "notes": list(self.notes),
            "reports_new": self.reports_new,
            "reports_newer": self.reports_newer,
            "reports_unchanged": self.reports_unchanged,
            "reports_older": self.reports_older,
            "history_added": self.history_added,
            "conflicts": self.conflicts,
            "forms_added": list(self.forms_added),
            "forms_differing": list(self.forms_differing),
            "stations_added": self.stations_added,
            "stations_differing": list(self.stations_differing),
            "observers_added": self.observers_added,
        }


@dataclass(frozen=True)
class MergeResult:
    """One result per source, in the order given."""

    sources: tuple[SourceResult, ...]
    dry_run: bool = False
    cancelled: bool = False

    @property
    def refused(self) -> tuple[SourceResult, ...]:
        return tuple(s for s in self.sources if s.refused)


class Saved(NamedTuple):
    """Who saved a version of a report, on which device, when (UTC)."""

    observer: str | None
    device: str
    time: str


@dataclass(frozen=True)
class Conflict:
    """Two versions of a report with the same revision and different content.

    Both stay in the report's history; ``winner`` is the digest of the one the rule chose
    (a deletion, else the larger digest). ``current_revision`` is the report's revision now: a
    later save has settled the conflict when it is greater than ``revision``. ``saved_a`` and
    ``saved_b`` say by whom, where and when each version was saved (its first save in the
    history): (observer or None, device, UTC time), or None if the history does not have it.
    """

    report_uuid: str
    form_id: str
    station_code: str | None
    observer: str | None
    revision: int
    content_sha_a: str
    content_sha_b: str
    winner: str
    current_revision: int
    found: str
    saved_a: Saved | None = None
    saved_b: Saved | None = None

    @property
    def settled(self) -> bool:
        return self.current_revision > self.revision

    @property
    def saved_kept(self) -> Saved | None:
        """Where and when the version the rule kept was saved."""
        return self.saved_a if self.winner == self.content_sha_a else self.saved_b

    @property
    def saved_other(self) -> Saved | None:
        """Where and when the other version was saved."""
        return self.saved_b if self.winner == self.content_sha_a else self.saved_a


def _first_save(side: str) -> str:
    return (
        "(SELECT json_array(h.observer, h.device, h.saved) FROM history h"
        " WHERE h.report_uuid = c.report_uuid AND h.revision = c.revision"
        f" AND h.content_sha = c.{side} ORDER BY h.saved LIMIT 1)"
    )


def list_conflicts(mission: Mission) -> list[Conflict]:
    """Every conflict merges have found in the mission, by report and revision."""
    rows = mission.conn.execute(
        "SELECT c.report_uuid, r.form_id, r.station_code, r.observer, c.revision,"
        " c.content_sha_a, c.content_sha_b, c.winner, r.revision, c.found,"
        f" {_first_save('content_sha_a')}, {_first_save('content_sha_b')}"
        " FROM conflicts c JOIN reports r ON r.uuid = c.report_uuid"
        " ORDER BY c.report_uuid, c.revision, c.content_sha_a, c.content_sha_b"
    ).fetchall()
    return [Conflict(*row[:10], _device_time(row[10]), _device_time(row[11])) for row in rows]


def _device_time(text: str | None) -> Saved | None:
    saved = _json_or_none(text)
    if not (isinstance(saved, list) and len(saved) == 3):
        return None
    observer, device, time = saved
    if not (isinstance(observer, str | None) and isinstance(device, str) and isinstance(time, str)):
        return None
    return Saved(observer, device, time)


@dataclass(frozen=True)
class LoggedMerge:
    """One line of a mission's merge log: a file merged (or refused) into it, and when.

    The counts are those of :class:`SourceResult` at the time. ``reason`` is why a refused file
    was refused, in English; ``problems`` are its problems' codes.
    """

    merged_at: str
    file_name: str
    sha256: str | None
    copy_id: str | None
    devices: tuple[str, ...]
    outcome: str
    reports_new: int
    reports_newer: int
    reports_unchanged: int
    reports_older: int
    history_added: int
    conflicts: int
    forms_added: int
    stations_added: int
    stations_differing: int
    observers_added: int
    reason: str
    problems: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...] = ()  # (language, reason) as logged

    def reason_text(self, language: str = "en") -> str:
        """:attr:`reason` in ``language`` (in English if it was not logged in that language)."""
        return dict(self.reasons).get(language, self.reason)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json``)."""
        return {
            **{f: getattr(self, f) for f in self.__dataclass_fields__ if f != "reasons"},
            "devices": list(self.devices),
            "problems": list(self.problems),
        }


def merge_log(mission: Mission) -> list[LoggedMerge]:
    """Every merge recorded in the mission's log, the oldest first (see :func:`merge`)."""
    rows = mission.conn.execute(
        "SELECT merged_at, file_name, file_sha256, copy_id, devices, outcome, reports_new,"
        " reports_newer, reports_unchanged, reports_older, history_added, conflicts,"
        " forms_added, stations_added, stations_differing, observers_added, reason, details"
        " FROM merges ORDER BY id"
    ).fetchall()
    logged = []
    for row in rows:
        details = _json_or_none(row[17])
        if not isinstance(details, dict):
            details = {}
        reasons = details.get("reasons")
        if not isinstance(reasons, dict):
            reasons = {}
        logged.append(
            LoggedMerge(
                *row[:4],
                _texts(_json_or_none(row[4])),
                *row[5:16],
                row[16] or "",
                _texts(details.get("problems")),
                tuple((k, v) for k, v in reasons.items() if isinstance(v, str)),
            )
        )
    return logged


def _json_or_none(text: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _texts(value: Any) -> tuple[str, ...]:
    """The strings of a JSON list (anything else, as from a file edited by hand: none)."""
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


# -- why a source is refused -----------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, *problems: Problem, sha256: str | None = None) -> None:
        super().__init__(problems[0].what if problems else "refused")
        self.problems = problems
        self.sha256 = sha256  # of a file read whole before it was refused, for the log


def _problem(code: str, path: Path, variant: str | None = None, /, **values: Any) -> Problem:
    """The problem ``code`` with the file ``path`` (see :meth:`Problem.of`)."""
    return Problem.of(code, place(path.name), variant, **values)


def _listed(items: Sequence[Any]) -> Items:
    """The first few of ``items``, then how many more ("a, b, c, d, e and 3 more")."""
    return Items(items, shown=_SHOWN)


def _form_version(form_id: Any, version: Any) -> Phrase:
    return Phrase("form_version", form=form_id, version=version)


_KINDS_OF_OBJECT = {
    "table": Phrase("kind.table"),
    "index": Phrase("kind.index"),
    "view": Phrase("kind.view"),
    "trigger": Phrase("kind.trigger"),
}


def _kind(kind: str) -> Phrase | str:
    """A kind of SQLite schema object (``table``, ``index``…) as messages name it."""
    return _KINDS_OF_OBJECT.get(kind, kind)


def _damaged(path: Path, exc: sqlite3.Error) -> Problem:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        return _problem("M116", path, error=f"{name}: {exc}")
    return _problem("M103", path, error=f"{name or 'SQLite'}: {exc}")


# -- source kinds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Staged:
    """A source attached as ``src``: where it came from, and what identifies it."""

    kind: str
    copy_id: str | None
    forms: dict[tuple[str, str], Form]
    notes: tuple[str, ...] = ()


class _SourceKind(Protocol):
    """A kind of file that can be merged: it recognises its files, checks and attaches them."""

    label: str

    def claims(self, path: Path, head: bytes) -> bool: ...

    def stage(self, merger: _Merger, path: Path) -> _Staged:
        """Check the file and attach it as ``src``; raise :class:`_Refused` if it can't be."""
        ...


class _Workbook:
    """A Pollcheck workbook (Excel export): its Reports sheet, merged as a mission database.

    The sheet is read and checked as ``pollcheck reports import`` reads it, against the target,
    into a temporary mission database of the target's own mission (a workbook carries no
    mission id), which is then checked and merged like any mission file. See
    :func:`_workbook_mission`.
    """

    label = "workbook"

    def claims(self, path: Path, head: bytes) -> bool:
        return head.startswith(_ZIP_HEADER) and path.suffix.lower() in (".xlsx", ".xlsm")

    def stage(self, merger: _Merger, path: Path) -> _Staged:
        folder = scratch_folder(merger.target, "pollcheck-workbook-")
        merger.cleanups.append(functools.partial(shutil.rmtree, folder, ignore_errors=True))
        temp = folder / "workbook.pollcheck"
        notes = _workbook_mission(merger, path, temp)
        merger.attach(temp)
        staged = merger.check_structure(temp, self.label)
        return replace(staged, copy_id=None, notes=notes)


class _MissionFile:
    """A mission file (.pollcheck), attached read-only after every check."""

    label = "mission file"

    def claims(self, path: Path, head: bytes) -> bool:
        return head.startswith(_SQLITE_HEADER)

    def stage(self, merger: _Merger, path: Path) -> _Staged:
        merger.attach(path)
        return merger.check_structure(path, self.label)


_KINDS: tuple[_SourceKind, ...] = (_MissionFile(), _Workbook())


def _sniff(path: Path) -> _SourceKind:
    """The kind of source ``path`` is; raises :class:`_Refused` otherwise (with its SHA-256)."""
    if not path.is_file():
        raise _Refused(_problem("M101", path))
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise _Refused(_problem("M116", path, error=str(exc.strerror or exc))) from None
    for kind in _KINDS:
        if kind.claims(path, head):
            return kind
    sha = _FileDigest(path).result()
    if head.startswith(_ZIP_HEADER):
        raise _Refused(_problem("M102", path, "zip"), sha256=sha)
    if not head:
        raise _Refused(_problem("M102", path, "empty"), sha256=sha)
    raise _Refused(_problem("M102", path), sha256=sha)


class _FileDigest:
    """The SHA-256 of a file (for the merge log), worked out in a thread of its own while the
    merge checks the file: hashlib and SQLite both let other threads run while they work, so on
    two cores the digest costs no time. :meth:`result` waits for it."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = path
        self._value: str | None = None
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="pollcheck-digest", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        digest = hashlib.sha256()
        try:
            with self.path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError as exc:
            self._error = exc
            return
        self._value = digest.hexdigest()

    def result(self) -> str:
        """The digest; raises :class:`_Refused` if the file could not be read to its end."""
        self._thread.join()
        if self._error is not None:
            error = str(self._error.strerror or self._error)
            raise _Refused(_problem("M116", self.path, error=error))
        assert self._value is not None
        return self._value


# -- workbooks ------------------------------------------------------------------------------------


def _unreadable(exc: InputError) -> Items | Phrase | str:
    """Why a workbook cannot be read: its problems' texts, else the error's message."""
    whats = [p.message or p.what for p in exc.problems]
    if whats:
        return Items(whats, sep="; ", shown=None)
    return exc.phrase or exc.message


def _norm(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


def _workbook_mission(merger: _Merger, path: Path, temp: Path) -> tuple[str, ...]:
    """Build at ``temp`` a mission database holding the reports of the workbook at ``path``.

    The database is the target's mission (its mission record, forms and stations): a workbook
    carries no mission id. The first sheet must have ``uuid`` and ``revision`` columns (the
    Reports sheet of a Pollcheck export); it is read and checked, against the target, by the
    code of ``pollcheck reports import`` (labels row, choice labels, repeat sheets). Each row
    becomes a report at the row's revision with one history row, saved at the row's
    ``updated`` (else ``submitted``) time by the device ``workbook:<file name>``. A row that
    says what the target has already (same report, revision and content) is that same save: the
    target's report and history rows are taken as they are, so merging it changes nothing.

    Returns notes for the merge log. Raises :class:`_Refused` with every problem found.
    """
    try:
        table = read_table(path)
    except InputError as exc:
        raise _Refused(_problem("M103", path, "workbook", reason=_unreadable(exc))) from None
    keys = {_norm(h) for h in table.headers}
    if not ({"uuid", "report_uuid"} & keys and {"revision", "report_revision"} & keys):
        raise _Refused(_problem("M113", path, sheet=table.sheet))
    target = open_mission(merger.target, readonly=True)
    try:
        form_id = _workbook_form(target, path, table)
        try:
            sheet = read_reports(target, path, form_id, for_merge=True)
        except InputError as exc:
            raise _Refused(_problem("M103", path, "workbook", reason=_unreadable(exc))) from None
        problems = list(sheet.problems)
        versions = [_row_version(row, sheet.name, problems) for row in sheet.rows]
        if problems:
            raise _Refused(_problem("M117", path, "rows", n=len(problems)), *problems)
        _write_workbook_mission(target, temp, f"workbook:{path.name}", sheet.rows, versions)
    finally:
        target.close()
    return (
        f"The workbook carries no mission id: its reports were taken as reports of this"
        f" mission, {merger.title!r} ({merger.mission_id}).",
        f"Its reports are of form {form_id!r}.",
    )


def _workbook_form(target: Mission, path: Path, table: Table) -> str:
    """The form whose reports the sheet holds: the one of the target's forms that its columns
    fit, or, if several do, the one the target's reports of those ids are of."""
    fitting: list[str] = []
    for (form_id,) in target.conn.execute("SELECT DISTINCT form_id FROM forms ORDER BY 1"):
        columns, wrong = read_columns(get_form(target, form_id), table.headers, table.path.name)
        if not wrong and any(k.startswith("q:") for k in columns.values()):
            fitting.append(form_id)
    if len(fitting) > 1:
        id_column = next(h for h in table.headers if _norm(h) in ("uuid", "report_uuid"))
        ids = sorted({cells.get(id_column, "").removeprefix("uuid:") for _, cells in table.rows})
        known = {
            r[0]
            for r in target.conn.execute(
                "SELECT DISTINCT form_id FROM reports"
                " WHERE uuid IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            )
        }
        if len(known & set(fitting)) == 1:
            fitting = sorted(known & set(fitting))
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        raise _Refused(_problem("M118", path))
    raise _Refused(_problem("M118", path, "several", forms=_listed(fitting)))


def _row_version(row: SheetReport, name: str, problems: list[Problem]) -> tuple[int, str | None]:
    """A row's revision and ``updated`` time; a problem for what is missing or wrong."""
    if row.uuid is None:
        problems.append(Problem.of("M117", place(name, row=row.number, column="uuid")))
    text = row.extra.get("revision", "").strip()
    digits = text[: -len(".0")] if text.endswith(".0") else text
    revision = int(digits) if digits.isascii() and digits.isdigit() else 0
    if revision < 1:
        where = place(name, row=row.number, column="revision")
        problems.append(
            Problem.of("M117", where, "revision", text=text)
            if text
            else Problem.of("M117", where, "no_revision")
        )
    updated = None
    if row.extra.get("updated"):
        updated = parse_timestamp(row.extra["updated"])
        if updated is None:
            where = place(name, row=row.number, column="updated")
            problems.append(Problem.of("M117", where, "updated", text=row.extra["updated"]))
    return revision, updated


def _copy_rows(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> None:
    cur = src.execute(f"SELECT * FROM {table}")
    columns = [d[0] for d in cur.description]
    dst.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        cur,
    )


def _write_workbook_mission(
    target: Mission,
    temp: Path,
    device: str,
    rows: Sequence[SheetReport],
    versions: Sequence[tuple[int, str | None]],
) -> None:
    stamp = now()
    mission = create_mission(temp, title="workbook")
    try:
        with mission.transaction() as conn:
            conn.execute("DELETE FROM mission")
            for table in ("mission", "forms", "stations"):
                _copy_rows(target.conn, conn, table)
            for row, (revision, updated) in zip(rows, versions, strict=True):
                _write_workbook_row(
                    target, conn, row, revision, updated or row.submitted or stamp, device
                )
        mission.conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        mission.close()


def _write_workbook_row(
    target: Mission,
    conn: sqlite3.Connection,
    row: SheetReport,
    revision: int,
    saved: str,
    device: str,
) -> None:
    """Write ``row`` as a report, with its one history row, at ``conn``."""
    answers = row.validation.answers
    sha = content_sha(
        form_version=row.form.version,
        station_code=row.station,
        region=row.region,
        observer=row.observer,
        status=row.status,
        deleted=False,
        answers=answers,
    )
    found = target.conn.execute(
        f"SELECT {', '.join(_REPORT_COLUMNS)} FROM reports WHERE uuid = ?", (row.uuid,)
    ).fetchone()
    current = dict(zip(_REPORT_COLUMNS, found, strict=True)) if found else None
    if current is not None and (current["revision"], current["content_sha"]) == (revision, sha):
        report = current  # the version the target has: the same save
    else:
        report = {
            "uuid": row.uuid,
            "form_id": row.form.form_id,
            "form_version": row.form.version,
            "station_code": row.station,
            "region": row.region,
            "observer": row.observer,
            "device": device,
            "status": row.status,
            "deleted": 0,
            "revision": revision,
            "created": current["created"] if current else (row.started or saved),
            "updated": saved,
            "started": row.started,
            "submitted": row.submitted,
            "answers": json.dumps(answers, ensure_ascii=False, sort_keys=True),
            "content_sha": sha,
        }
    conn.execute(
        f"INSERT INTO reports ({', '.join(_REPORT_COLUMNS)})"
        f" VALUES ({', '.join(':' + c for c in _REPORT_COLUMNS)})",
        report,
    )
    if row.observer:
        conn.execute(
            "INSERT OR IGNORE INTO observers (name, added) VALUES (?, ?)", (row.observer, now())
        )
    found = target.conn.execute(
        f"SELECT {', '.join(_HISTORY_COLUMNS)} FROM history WHERE report_uuid = ?"
        " AND revision = ? AND content_sha = ? ORDER BY saved, device LIMIT 1",
        (row.uuid, revision, sha),
    ).fetchone()
    if found:
        history = dict(zip(_HISTORY_COLUMNS, found, strict=True))  # the same save
    else:
        before = json.loads(current["answers"]) if current else {}
        keys = sorted(set(before) | set(answers))
        changes = {
            "answers": {
                k: [before.get(k), answers.get(k)] for k in keys if before.get(k) != answers.get(k)
            }
        }
        history = {
            "report_uuid": row.uuid,
            "revision": revision,
            "saved": report["updated"],
            "observer": row.observer,
            "device": device,
            "form_version": row.form.version,
            "station_code": row.station,
            "region": row.region,
            "status": row.status,
            "deleted": 0,
            "answers": json.dumps(answers, ensure_ascii=False, sort_keys=True),
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
            "content_sha": sha,
        }
    conn.execute(
        f"INSERT INTO history ({', '.join(_HISTORY_COLUMNS)})"
        f" VALUES ({', '.join(':' + c for c in _HISTORY_COLUMNS)})",
        history,
    )


# -- the expected schema ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Schema:
    objects: dict[str, tuple[str, str, str | None]]  # name -> (type, tbl_name, sql)


@functools.cache
def _expected_schema(version: int) -> _Schema:
    """The schema a mission file of ``version`` has: made by running the migrations."""
    import sqlite_utils  # only to build the expected schema, once per merge

    db = sqlite_utils.Database(memory=True)
    for migration in schema.MIGRATIONS[:version]:
        migration(db)
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    objects = {name: (kind, table, sql) for kind, name, table, sql in rows}
    db.close()
    return _Schema(objects)


# Statistics tables that ANALYZE (e.g. 'optimize' in DB Browser) adds; harmless to us.
_STAT_TABLES = {"sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)"}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# -- the merger: one connection with the target as main ------------------------------------------


def _sha256_text(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _search_key(*parts: str | None) -> str:
    # The same key db/stations.py stores: code, number, name, address, region, district.
    return normalise_key(" ".join(p for p in parts if p))


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    # A URI connection: only then does SQLite read the URIs we ATTACH (mode=ro, immutable)
    # as URIs on every platform, rather than as file names.
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        conn.execute("PRAGMA temp_store = MEMORY")  # statement journals: see _COPY_REPORTS
        # Checkpoint every ~400 MB of WAL rather than 4 MB: pages that many sources touch (the
        # tails of tables; index pages, where reports with random ids land all over a large
        # target) are then written back once, not over and over, so a large target stays
        # nearly as quick per file as a small one (2,000 files: 54 s against 61 s with 40 MB).
        # That was with random report ids; with ids that sort by laptop (new_report_uuid) few
        # pages repeat, and 1,000 to 10,000 pages measured the same as this within the noise.
        # During a merge, _Checkpointer copies the WAL from a thread of its own, so this limit
        # is reached only if that stops. This connection only; closing the mission truncates
        # the WAL.
        conn.execute("PRAGMA wal_autocheckpoint = 100000")
        if hasattr(conn, "setconfig"):  # Python 3.12+
            conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)  # type: ignore[attr-defined]
    except sqlite3.Error as exc:
        raise known_error(exc, path) from exc
    conn.create_function("pc_sha256", 1, _sha256_text, deterministic=True)
    conn.create_function("pc_search_key", 6, _search_key, deterministic=True)
    return conn


class _Merger:
    """Checks and merges sources into the database open as ``main`` on ``conn``."""

    def __init__(self, conn: sqlite3.Connection, target: Path) -> None:
        self.conn = conn
        self.target = target
        info = conn.execute("SELECT mission_id, title FROM main.mission WHERE id = 1").fetchone()
        if info is None:
            raise KnownError(Phrase("mission.no_record", path=str(target)))
        self.mission_id, self.title = info
        # Parsed form definitions, by their text: every observer file carries the same forms.
        self._forms: dict[str, Form] = {}
        self._views: dict[str, str] = {}
        self.attached = False
        # What to remove once the source is detached (a workbook's temporary mission database).
        self.cleanups: list[Callable[[], None]] = []

    # -- attaching ------------------------------------------------------------------------
    def attach(self, path: Path) -> None:
        """Attach ``path`` read-only as ``src``.

        A mission file in WAL mode on read-only media (a write-protected USB stick, a CD) cannot
        be opened read-only normally: SQLite must create its ``-shm`` file beside it. It is then
        opened as *immutable*, which reads the main file alone. That is safe for a transfer
        file, which nothing writes while it is merged, as long as no ``-wal`` file holds saves
        that are not yet in the main file; if one does, the file is refused.
        """
        uri = path.resolve().as_uri()
        try:
            self.conn.execute("ATTACH DATABASE ? AS src", (uri + "?mode=ro",))
            self.attached = True
            self.conn.execute("SELECT count(*) FROM src.sqlite_master").fetchone()
            return
        except sqlite3.Error as exc:
            name = getattr(exc, "sqlite_errorname", "") or ""
            if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise
            self.detach()
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise _Refused(_problem("M114", path))
        self.conn.execute("ATTACH DATABASE ? AS src", (uri + "?mode=ro&immutable=1",))
        self.attached = True

    def detach(self) -> None:
        if self.attached:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("DETACH DATABASE src")
            self.attached = False
        while self.cleanups:
            self.cleanups.pop()()

    # -- checks before anything is read ------------------------------------------------------
    def check_structure(self, path: Path, kind: str) -> _Staged:
        """Refuse ``src`` unless it is whole, ours, of a schema we read, and this mission's."""
        q = self.conn.execute
        rows = q("PRAGMA src.quick_check").fetchall()
        if rows != [("ok",)]:
            detail = "; ".join(str(r[0]) for r in rows[:3])
            raise _Refused(_problem("M103", path, error=detail))
        if q("PRAGMA src.application_id").fetchone()[0] != schema.APPLICATION_ID:
            raise _Refused(_problem("M104", path))
        version = q("PRAGMA src.user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise _Refused(_problem("M105", path, version=version, supported=schema.SCHEMA_VERSION))
        if version < 1:
            raise _Refused(_problem("M104", path, "unfinished"))
        views = self._check_tables(path, version)
        mission = q("SELECT id, mission_id, copy_id, title FROM src.mission").fetchall()
        if len(mission) != 1 or mission[0][0] != 1 or not isinstance(mission[0][1], str):
            raise _Refused(_problem("M106", path, "record"))
        _, mission_id, copy_id, title = mission[0]
        if mission_id != self.mission_id:
            raise _Refused(
                _problem(
                    "M108",
                    path,
                    title=title,
                    mission_id=mission_id,
                    target_title=self.title,
                    target_id=self.mission_id,
                )
            )
        forms = self._source_forms(path)
        self._check_views(path, views, forms)
        return _Staged(kind=kind, copy_id=str(copy_id), forms=forms)

    def _check_tables(self, path: Path, version: int) -> dict[str, str | None]:
        """Problems unless tables and indexes are exactly ours; returns the views to check."""
        expected = _expected_schema(version)
        found = self.conn.execute("SELECT type, name, tbl_name, sql FROM src.sqlite_master")
        views: dict[str, str | None] = {}
        wrong: list[Phrase] = []
        seen: set[str] = set()
        for kind, name, table, sql in found:
            seen.add(name)
            if kind == "view" and name not in expected.objects:
                views[name] = sql
                continue
            if kind == "trigger":
                wrong.append(Phrase("schema.trigger", name=name))
                continue
            if _STAT_TABLES.get(name) == sql and kind == "table":
                continue
            want = expected.objects.get(name)
            if want is None:
                wrong.append(Phrase("schema.unexpected", kind=_kind(kind), name=name))
            elif want != (kind, table, sql):
                wrong.append(
                    Phrase("schema.not_ours", kind=_kind(kind), name=name)
                    if want[0] == kind
                    else Phrase("schema.in_place", kind=_kind(kind), want=_kind(want[0]), name=name)
                )
        missing = sorted(set(expected.objects) - seen)
        wrong.extend(
            Phrase("schema.missing", kind=_kind(expected.objects[n][0]), name=n) for n in missing
        )
        # No table's columns are read (PRAGMA table_xinfo): SQLite builds its schema by parsing
        # the very CREATE statements compared above, so the same statements are the same columns.
        if wrong:
            raise _Refused(_problem("M106", path, version=version, wrong=_listed(wrong)))
        return views

    def _form(self, definition: str) -> Form:
        form = self._forms.get(definition)
        if form is None:
            form = form_from_dict(json.loads(definition))
            self._forms[definition] = form
        return form

    def _source_forms(self, path: Path) -> dict[tuple[str, str], Form]:
        forms: dict[tuple[str, str], Form] = {}
        bad: list[Phrase] = []
        for form_id, version, definition in self.conn.execute(
            "SELECT form_id, version, definition FROM src.forms"
        ):
            key = _form_version(form_id, version)
            if not all(isinstance(v, str) for v in (form_id, version, definition)):
                bad.append(key)
                continue
            try:
                form = self._form(definition)
            except Exception:  # any damage to the JSON or the expressions in it
                bad.append(key)
                continue
            if (form.form_id, form.version) != (form_id, version):
                bad.append(key)
                continue
            forms[(form_id, version)] = form
        if bad:
            raise _Refused(_problem("M110", path, "definitions", forms=_listed(bad)))
        return forms

    def _check_views(
        self, path: Path, views: dict[str, str | None], forms: dict[tuple[str, str], Form]
    ) -> None:
        # A view is allowed only if it is exactly the view Pollcheck makes for one of the file's
        # forms; its SQL is never run by a merge (reports are read from the tables).
        ours: dict[str, set[str]] = {}
        for form in forms.values():
            sql = self._views.get(form.form_id + "\x00" + form.version)
            if sql is None:
                sql = view_sql(form)
                self._views[form.form_id + "\x00" + form.version] = sql
            ours.setdefault(view_name(form.form_id), set()).add(sql)
        wrong = sorted(name for name, sql in views.items() if sql not in ours.get(name, ()))
        if wrong:
            raise _Refused(_problem("M107", path, views=_listed(wrong)))

    # -- checks of the rows ------------------------------------------------------------------
    def check_rows(self, path: Path, staged: _Staged) -> _Compared:
        """Refuse the source unless every row is well formed and true to its digest.

        Returns how the source's reports compare with the target's, found in the same pass over
        them as the check that none is a report of another form in the target.
        """
        problems: list[Problem] = []

        def bad(code: str, variant: str | None, name: str, sql: str) -> list[Any]:
            """Rows found by ``sql`` (each its first column, or a phrase made of its columns)
            make the problem ``code`` naming them as ``name``."""
            found: list[Any] = []
            for row in self.conn.execute(sql):
                if len(row) == 1:
                    found.append(str(row[0]))
                elif code == "M112":
                    found.append(Phrase("merge.other_form", uuid=row[0], form=row[1], here=row[2]))
                else:
                    found.append(_form_version(*row))
            if found:
                problems.append(_problem(code, path, variant, **{name: _listed(found)}))
            return found

        self._check_content(path, "reports", problems)
        self._check_content(path, "history", problems)
        if problems:
            raise _Refused(*problems)  # the checks below rely on the values checked above
        bad(
            "M110",
            "history_orphans",
            "reports",
            "SELECT DISTINCT h.report_uuid FROM src.history h WHERE NOT EXISTS"
            " (SELECT 1 FROM src.reports r WHERE r.uuid = h.report_uuid) LIMIT 50",
        )
        bad(
            "M110",
            "history_mismatch",
            "reports",
            "SELECT r.uuid FROM src.reports r WHERE NOT EXISTS (SELECT 1 FROM src.history h"
            " WHERE h.report_uuid = r.uuid AND h.revision = r.revision"
            " AND h.content_sha = r.content_sha) OR EXISTS (SELECT 1 FROM src.history h"
            " WHERE h.report_uuid = r.uuid AND h.revision > r.revision) LIMIT 50",
        )
        bad(
            "M111",
            None,
            "forms",
            "SELECT DISTINCT r.form_id, r.form_version FROM src.reports r"
            " WHERE NOT EXISTS (SELECT 1 FROM main.forms f"
            "  WHERE f.form_id = r.form_id AND f.version = r.form_version)"
            " AND NOT EXISTS (SELECT 1 FROM src.forms f"
            "  WHERE f.form_id = r.form_id AND f.version = r.form_version) LIMIT 50",
        )
        compared = _Compared(*self.conn.execute(_COMPARE_REPORTS).fetchone())
        if compared.other_form:
            bad(
                "M112",
                None,
                "reports",
                "SELECT s.uuid, s.form_id, t.form_id"
                " FROM src.reports s JOIN main.reports t ON t.uuid = s.uuid"
                " WHERE t.form_id IS NOT s.form_id LIMIT 50",
            )
        station_ok = (
            "typeof(code) = 'text' AND length(trim(code)) > 0 AND typeof(number) = 'text'"
            " AND typeof(registered_voters) IN ('integer', 'null')"
            " AND coalesce(registered_voters, 0) >= 0"
            " AND typeof(attributes) = 'text'"
            " AND CASE WHEN json_valid(attributes) THEN json_type(attributes) = 'object' END"
            " AND typeof(updated) = 'text'"
            + "".join(
                f" AND typeof({c}) IN ('text', 'null')"
                for c in ("region", "district", "name", "address")
            )
        )
        bad(
            "M110",
            "stations",
            "stations",
            # Only stations the target lacks are written, so only they are checked (CASE: an
            # AND would check every station, known or not).
            "SELECT quote(code) FROM src.stations s WHERE CASE WHEN EXISTS"
            " (SELECT 1 FROM main.stations t WHERE t.code = s.code) THEN 0"
            f" ELSE NOT coalesce({station_ok}, 0) END LIMIT 50",
        )
        bad(
            "M110",
            "observers",
            "observers",
            "SELECT quote(name) FROM src.observers WHERE NOT coalesce(typeof(name) = 'text'"
            " AND length(name) > 0 AND typeof(team) IN ('text', 'null')"
            " AND typeof(added) = 'text', 0) LIMIT 50",
        )
        self._check_new_forms(path, problems)
        if problems:
            raise _Refused(*problems)
        return compared

    def _check_content(self, path: Path, table: str, problems: list[Problem]) -> None:
        """Check every row's values, and recompute its content digest (the stored one is not
        trusted), in one pass over the table.

        SQLite builds the canonical JSON (for Pollcheck's data it writes exactly what Python's
        json.dumps does) and only the hash runs in Python, so the pass costs little. A row that
        fails is looked at again in Python, which says what is wrong with it, if anything.
        """
        key = "uuid" if table == "reports" else "report_uuid"
        digest = (
            "substr(ltrim(answers, ' ' || char(9, 10, 13)), 1, 1) = '{'"
            " AND pc_sha256(json_array(form_version, station_code, region, observer, status,"
            " deleted, json(answers))) = content_sha"
        )
        if table == "history":
            # A save that is the report as it is now (most saves are: a report saved once) has
            # the report's digest, checked just before: it is not worked out a second time. If
            # the report's is untrue, the source is refused for that.
            # (CASE, not OR: SQLite works out both sides of an OR whose value it needs.)
            digest = f"CASE WHEN {_SAME_AS_REPORT} THEN 1 ELSE {digest} END"
        values = _REPORT_VALUES if table == "reports" else _HISTORY_VALUES
        fast = (
            f"SELECT rowid FROM src.{table} h"
            f" WHERE NOT CASE WHEN coalesce({values}, 0) THEN {digest} ELSE 0 END"
        )
        values = f"{values} AND {_SHA_FORM}"  # for the rows looked at again, one by one
        try:
            suspects: list[int] = [
                r[0] for r in self.conn.execute(fast, _GLOBS[:1] if "?1" in fast else ())
            ]
        except sqlite3.OperationalError:  # answers that are not JSON at all: look at each row
            suspects = [r[0] for r in self.conn.execute(f"SELECT rowid FROM src.{table}")]
        malformed: list[str] = []
        untrue: list[str] = []
        for rowid in suspects:
            shown, uuid, ok, *fields, sha = self.conn.execute(
                f"SELECT quote({key}), {key}, coalesce({values} AND CASE WHEN json_valid(answers)"
                " THEN json_type(answers) = 'object' END, 0), form_version, station_code,"
                f" region, observer, status, deleted, answers, content_sha FROM src.{table}"
                " WHERE rowid = ?3",
                (*_GLOBS, rowid),
            ).fetchone()
            if not ok:
                malformed.append(shown)
                continue
            # History keeps, for a deletion or a restoration, who did it in place of the
            # report's observer: the digest was made with one of the report's observers.
            observers = [fields[3]]
            if table == "history":
                observers += [
                    r[0]
                    for r in self.conn.execute(
                        "SELECT observer FROM src.history WHERE report_uuid = ?1"
                        " UNION SELECT observer FROM src.reports WHERE uuid = ?1",
                        (uuid,),
                    )
                ]
            if not _sha_matches(sha, fields, observers):
                untrue.append(shown)
        history = table == "history"
        if malformed:
            found = _listed(sorted(set(malformed)))
            problems.append(
                _problem("M110", path, "history" if history else "reports", reports=found)
            )
        if untrue:
            found = _listed(sorted(set(untrue)))
            problems.append(
                _problem("M109", path, "history" if history else "reports", reports=found)
            )

    def _check_new_forms(self, path: Path, problems: list[Problem]) -> None:
        wrong: list[Phrase] = []
        for form_id, version, workbook, sha in self.conn.execute(
            "SELECT form_id, version, workbook, sha256 FROM src.forms s WHERE NOT EXISTS"
            " (SELECT 1 FROM main.forms t WHERE t.form_id = s.form_id AND t.version = s.version)"
        ):
            if not isinstance(workbook, bytes) or hashlib.sha256(workbook).hexdigest() != sha:
                wrong.append(_form_version(form_id, version))
        bad = self.conn.execute(
            "SELECT form_id, version FROM src.forms s WHERE NOT EXISTS"
            " (SELECT 1 FROM main.forms t WHERE t.form_id = s.form_id AND t.version = s.version)"
            " AND NOT coalesce(typeof(title) = 'text' AND typeof(added) = 'text'"
            " AND typeof(seq) = 'integer' AND typeof(workbook_name) IN ('text', 'null'), 0)"
        ).fetchall()
        wrong.extend(_form_version(*r) for r in bad)
        if wrong:
            problems.append(_problem("M110", path, "workbooks", forms=_listed(wrong)))

    # -- counting and writing ----------------------------------------------------------------
    def apply(self, path: Path, sha256: str, staged: _Staged, compared: _Compared) -> SourceResult:
        """Merge ``src`` into main, inside the caller's transaction.

        ``compared`` is what :meth:`check_rows` found, in the same transaction.
        """
        q = self.conn.execute
        result = SourceResult(path=path, outcome="merged", sha256=sha256, kind=staged.kind)
        devices = tuple(
            r[0]
            for r in q(
                "SELECT device FROM src.history UNION SELECT device FROM src.reports"
                " ORDER BY 1 LIMIT 50"
            )
        )
        forms_added, forms_differing = self._merge_forms(staged)
        stations_differing = tuple(
            r[0]
            for r in q(
                "SELECT s.code FROM src.stations s JOIN main.stations t ON t.code = s.code"
                " WHERE "
                + " OR ".join(
                    f"s.{c} IS NOT t.{c}"
                    for c in (
                        "number",
                        "region",
                        "district",
                        "name",
                        "address",
                        "registered_voters",
                        "attributes",
                    )
                )
                + " ORDER BY s.code"
            )
        )
        stations_added = q(
            "INSERT INTO main.stations (code, number, region, district, name, address,"
            " registered_voters, attributes, search_key, updated)"
            " SELECT code, number, region, district, name, address, registered_voters,"
            " attributes, pc_search_key(code, number, name, address, region, district), updated"
            " FROM src.stations s WHERE NOT EXISTS"
            " (SELECT 1 FROM main.stations t WHERE t.code = s.code)"
        ).rowcount
        observers_added = q(
            "INSERT INTO main.observers (name, team, added) SELECT name, team, added"
            " FROM src.observers s WHERE NOT EXISTS"
            " (SELECT 1 FROM main.observers t WHERE t.name = s.name)"
        ).rowcount
        # The saves the target lacked are those written: no lookup of each in the target first.
        if sum(compared[:4]) <= _STATEMENT_REPORTS:  # new, newer, unchanged, older: all of them
            q(_COPY_REPORTS)
            history_added = q(_COPY_HISTORY).rowcount
        else:
            self.conn.executemany(_UPSERT_REPORT_ROW, q(_SOURCE_REPORTS))
            history_added = self.conn.executemany(_INSERT_HISTORY_ROW, q(_SOURCE_HISTORY)).rowcount
        known = compared.newer + compared.unchanged + compared.older
        conflicts = q(_CONFLICTS if known else _CONFLICTS_OF_NEW_REPORTS, {"found": now()}).rowcount
        result = replace(
            result,
            copy_id=staged.copy_id,
            devices=devices,
            notes=staged.notes,
            reports_new=compared.new,
            reports_newer=compared.newer,
            reports_unchanged=compared.unchanged,
            reports_older=compared.older,
            history_added=history_added,
            conflicts=conflicts,
            forms_added=forms_added,
            forms_differing=forms_differing,
            stations_added=stations_added,
            stations_differing=stations_differing,
            observers_added=observers_added,
        )
        if not result.changed():
            result = replace(result, outcome="nothing new")
        self.log(result)
        return result

    def _merge_forms(self, staged: _Staged) -> tuple[tuple[str, ...], tuple[str, ...]]:
        q = self.conn.execute
        differing = tuple(
            f"{r[0]} version {r[1]}"
            for r in q(
                "SELECT s.form_id, s.version FROM src.forms s JOIN main.forms t"
                " ON t.form_id = s.form_id AND t.version = s.version"
                " WHERE s.definition IS NOT t.definition ORDER BY s.form_id, s.version"
            )
        )
        new = q(
            "SELECT form_id, version FROM src.forms s WHERE NOT EXISTS (SELECT 1 FROM main.forms t"
            " WHERE t.form_id = s.form_id AND t.version = s.version) ORDER BY seq"
        ).fetchall()
        if not new:
            return (), differing
        q(
            "INSERT INTO main.forms (form_id, version, seq, title, definition, workbook,"
            " workbook_name, sha256, added)"
            " SELECT form_id, version,"
            "  (SELECT coalesce(max(seq), 0) FROM main.forms)"
            "   + row_number() OVER (ORDER BY seq),"
            "  title, definition, workbook, workbook_name, sha256, added"
            " FROM src.forms s WHERE NOT EXISTS (SELECT 1 FROM main.forms t"
            "  WHERE t.form_id = s.form_id AND t.version = s.version)"
        )
        # The latest version of a form is the one with the highest seq. Versions from other
        # files take their place by when they were added, whatever the order of the merges.
        q("UPDATE main.forms SET seq = -seq")
        q(
            "WITH ordered AS (SELECT form_id, version,"
            "  row_number() OVER (ORDER BY added, -seq) AS n FROM main.forms)"
            " UPDATE main.forms SET seq = (SELECT n FROM ordered o"
            "  WHERE o.form_id = forms.form_id AND o.version = forms.version)"
        )
        for (form_id,) in {(f,) for f, _ in new}:
            (definition,) = q(
                "SELECT definition FROM main.forms WHERE form_id = ? ORDER BY seq DESC LIMIT 1",
                (form_id,),
            ).fetchone()
            q(f"DROP VIEW IF EXISTS main.{_quote(view_name(form_id))}")
            q(view_sql(self._form(definition)))
        return tuple(f"{f} version {v}" for f, v in new), differing

    def log(self, result: SourceResult) -> None:
        """Record a merge, or a refusal, in the target's log."""
        details = {
            "forms_added": list(result.forms_added),
            "forms_differing": list(result.forms_differing),
            "stations_differing": list(result.stations_differing[:100]),
            "problems": [p.code for p in result.problems],
        }
        if result.problems:  # the reason in every language, for the log shown in the program
            details["reasons"] = {lang: result.reason_text(lang) for lang in LANGUAGES}
        if result.notes:
            details["notes"] = list(result.notes)
        self.conn.execute(
            "INSERT INTO main.merges (merged_at, file_name, file_sha256, copy_id, devices,"
            " reports_new, reports_newer, reports_unchanged, reports_older, history_added,"
            " conflicts, forms_added, stations_added, stations_differing, observers_added,"
            " outcome, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?)",
            (
                now(),
                result.name,
                result.sha256,
                result.copy_id,
                json.dumps(list(result.devices), ensure_ascii=False),
                result.reports_new,
                result.reports_newer,
                result.reports_unchanged,
                result.reports_older,
                result.history_added,
                result.conflicts,
                len(result.forms_added),
                result.stations_added,
                len(result.stations_differing),
                result.observers_added,
                result.outcome,
                result.reason or None,
                json.dumps(details, ensure_ascii=False),
            ),
        )


def _values(text: Sequence[str], text_or_null: Sequence[str], *more: str) -> str:
    return " AND ".join(
        [
            *(f"typeof({c}) = 'text'" for c in text),
            *(f"typeof({c}) IN ('text', 'null')" for c in text_or_null),
            *more,
        ]
    )


_STATUSES = ", ".join(f"'{s}'" for s in STATUSES)
_COMMON_VALUES = (
    f"typeof(status) = 'text' AND status IN ({_STATUSES})",
    "typeof(deleted) = 'integer' AND deleted IN (0, 1)",
    "typeof(revision) = 'integer' AND revision >= 1",
    "typeof(answers) = 'text'",
    "typeof(content_sha) = 'text'",
)
# What Pollcheck writes in each column (types, statuses, ids, digests); parameter 1 is the GLOB
# pattern of a UUID. A digest's form (_SHA_FORM, parameter 2) is not checked in the pass over
# every row: a digest that is recomputed and equal is 64 hexadecimal digits anyway.
_SHA_FORM = "content_sha GLOB ?2"
_REPORT_VALUES = _values(
    ("uuid", "form_id", "form_version", "device", "created", "updated"),
    ("station_code", "region", "observer", "started", "submitted"),
    "uuid GLOB ?1",
    *_COMMON_VALUES,
)
_HISTORY_VALUES = _values(
    ("report_uuid", "saved", "device", "form_version"),
    ("observer", "station_code", "region"),
    "typeof(changes) = 'text' AND json_valid(changes)",
    *_COMMON_VALUES,
)
_GLOBS = (_UUID_GLOB, _SHA_GLOB)
# A history row (h) with the same content, digest and revision as its report's row.
_SAME_AS_REPORT = (
    "EXISTS (SELECT 1 FROM src.reports r WHERE r.uuid = h.report_uuid"
    " AND r.revision = h.revision AND r.content_sha = h.content_sha AND r.answers = h.answers"
    " AND r.form_version = h.form_version AND r.station_code IS h.station_code"
    " AND r.region IS h.region AND r.observer IS h.observer AND r.status = h.status"
    " AND r.deleted = h.deleted)"
)


def _sha_matches(sha: str, fields: Sequence[Any], observers: Sequence[str | None]) -> bool:
    """True if ``sha`` is the content digest of ``fields`` with one of ``observers``."""
    form_version, station_code, region, _observer, status, deleted, answers_text = fields
    try:
        answers = json.loads(answers_text, object_pairs_hook=_no_duplicates)
    except ValueError:
        return False
    if not isinstance(answers, dict):
        return False
    return any(
        content_sha(
            form_version=form_version,
            station_code=station_code,
            region=region,
            observer=observer,
            status=status,
            deleted=bool(deleted),
            answers=answers,
        )
        == sha
        for observer in observers
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # SQLite and Python read a repeated key differently; Pollcheck never writes one.
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("repeated key")
    return dict(pairs)


# The winning version: the greatest by (revision, deleted, content_sha); then, between versions
# of the same content, by the bookkeeping columns, so the pick never depends on merge order.
def _order_key(table: str) -> str:
    return (
        f"({table}.revision, {table}.deleted, {table}.content_sha, {table}.answers,"
        f" {table}.updated, {table}.created, {table}.device,"
        f" {table}.started IS NOT NULL, coalesce({table}.started, ''),"
        f" {table}.submitted IS NOT NULL, coalesce({table}.submitted, ''))"
    )


_REPORT_COLUMNS = (
    "uuid",
    "form_id",
    "form_version",
    "station_code",
    "region",
    "observer",
    "device",
    "status",
    "deleted",
    "revision",
    "created",
    "updated",
    "started",
    "submitted",
    "answers",
    "content_sha",
)


class _Compared(NamedTuple):
    """How a source's reports compare with the target's (the counts of :class:`SourceResult`)."""

    new: int
    newer: int
    unchanged: int
    older: int
    other_form: int  # reports the target has as reports of another form: the source is refused


# One search of the target per report of the source gives both the counts and the check.
_COMPARE_REPORTS = (
    "SELECT coalesce(sum(t.uuid IS NULL), 0),"
    " coalesce(sum((s.revision, s.deleted, s.content_sha)"
    "   > (t.revision, t.deleted, t.content_sha)), 0),"
    " coalesce(sum(s.revision = t.revision AND s.content_sha = t.content_sha), 0),"
    " coalesce(sum((s.revision, s.deleted, s.content_sha)"
    "   < (t.revision, t.deleted, t.content_sha)), 0),"
    " coalesce(sum(t.uuid IS NOT NULL AND t.form_id IS NOT s.form_id), 0)"
    " FROM src.reports s LEFT JOIN main.reports t ON t.uuid = s.uuid"
)
# Reports and history are copied with one INSERT … SELECT each. SQLite gives a statement that
# writes many rows and may fail halfway (a foreign key, a CHECK) a statement journal: a copy of
# every page of the target it changes, so that the statement alone can be undone. The merge's
# connection keeps it in memory (temp_store = MEMORY, see _connect): a source's reports now land
# side by side in the target's indexes (see db.reports.new_report_uuid), so for an observer's
# file it is a few hundred pages, freed when the statement ends. Written one row per statement
# instead (executemany, which needs no statement journal), 200 observer files took 5.75–6.35 s
# against 5.10–5.47 s, and 2,000 files 60 s against 54 s.
#
# A source of more than _STATEMENT_REPORTS reports (a region's merged file, reports with random
# ids from older files) is still written one row per statement: its statement journal could
# hold a copy of most of the target's index pages, and memory must not grow with the source.
_STATEMENT_REPORTS = 2000


def _upsert_report(rows: str) -> str:
    """Insert the reports of ``rows`` (a SELECT, or VALUES); a report the target has already is
    replaced only by a version that comes later in the order of the rules."""
    return (
        f"INSERT INTO main.reports ({', '.join(_REPORT_COLUMNS)}) {rows}"
        " ON CONFLICT (uuid) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in _REPORT_COLUMNS if c not in ("uuid", "form_id"))
        + f" WHERE {_order_key('excluded')} > {_order_key('reports')}"
    )


# "WHERE true": without it SQLite would read ON CONFLICT as a join's ON (its upsert docs).
_COPY_REPORTS = _upsert_report(f"SELECT {', '.join(_REPORT_COLUMNS)} FROM src.reports WHERE true")
_UPSERT_REPORT_ROW = _upsert_report(f"VALUES ({', '.join('?' * len(_REPORT_COLUMNS))})")
_SOURCE_REPORTS = f"SELECT {', '.join(_REPORT_COLUMNS)} FROM src.reports"
_HISTORY_COLUMNS = (
    "report_uuid",
    "revision",
    "saved",
    "observer",
    "device",
    "form_version",
    "station_code",
    "region",
    "status",
    "deleted",
    "answers",
    "changes",
    "content_sha",
)


# History is a set of saves, never rewritten: a save the target has already is left alone.
# The source's saves are added in their order.
_SOURCE_HISTORY = f"SELECT {', '.join(_HISTORY_COLUMNS)} FROM src.history ORDER BY id"
_COPY_HISTORY = (
    f"INSERT OR IGNORE INTO main.history ({', '.join(_HISTORY_COLUMNS)}) {_SOURCE_HISTORY}"
)
_INSERT_HISTORY_ROW = (
    f"INSERT OR IGNORE INTO main.history ({', '.join(_HISTORY_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(_HISTORY_COLUMNS))})"
)


# Every pair of versions of one report with the same revision and other content, among the
# reports the source touched. Derived from the (merged) history, so the set does not depend on
# the order of the merges.
def _conflicts(history: str) -> str:
    return (
        "INSERT OR IGNORE INTO main.conflicts"
        " (report_uuid, revision, content_sha_a, content_sha_b, winner, found)"
        " SELECT a.report_uuid, a.revision, a.content_sha, b.content_sha,"
        "  CASE WHEN (b.deleted, b.content_sha) > (a.deleted, a.content_sha)"
        "   THEN b.content_sha ELSE a.content_sha END, :found"
        f" FROM {history} a JOIN {history} b ON b.report_uuid = a.report_uuid"
        "  AND b.revision = a.revision AND b.content_sha > a.content_sha"
        " WHERE a.report_uuid IN (SELECT report_uuid FROM src.history)"
    )


_CONFLICTS = _conflicts("main.history")
# When none of the source's reports was in the target, the target's history of them is the
# source's: their conflicts are found there, without searching the target's history.
_CONFLICTS_OF_NEW_REPORTS = _conflicts("src.history")


# -- the public operations -----------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _target_error(exc: sqlite3.Error) -> bool:
    """True for failures of the target (stop everything), not of one source."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY"))


def _merge_one(merger: _Merger, path: Path, target_path: Path) -> SourceResult:
    conn = merger.conn
    sha: str | None = None
    digest: _FileDigest | None = None
    kind_label = "mission file"
    try:
        if _same_file(path, target_path):
            raise _Refused(_problem("M115", path))
        kind = _sniff(path)
        kind_label = kind.label
        digest = _FileDigest(path)
        try:
            staged = kind.stage(merger, path)
        except sqlite3.Error as exc:
            raise _Refused(_damaged(path, exc)) from None
        conn.execute("BEGIN IMMEDIATE")
        try:
            compared = merger.check_rows(path, staged)
            sha = digest.result()
            result = merger.apply(path, sha, staged, compared)
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (disk errors)
                conn.execute("ROLLBACK")
            raise
    except _Refused as refusal:
        sha = sha or refusal.sha256 or _digest_if_read(digest)
        result = SourceResult(
            path=path,
            outcome="refused",
            sha256=sha,
            kind=kind_label,
            problems=refusal.problems,
        )
    except sqlite3.Error as exc:
        if _target_error(exc):
            raise known_error(exc, target_path) from exc
        sha = sha or _digest_if_read(digest)
        if (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_CONSTRAINT"):
            problem = _problem("M110", path, "inconsistent", error=str(exc))
        else:
            problem = _damaged(path, exc)
        result = SourceResult(
            path=path, outcome="refused", sha256=sha, kind=kind_label, problems=(problem,)
        )
    finally:
        merger.detach()
    try:
        conn.execute("BEGIN IMMEDIATE")
        merger.log(result)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise known_error(exc, target_path) from exc
    return result


def _digest_if_read(digest: _FileDigest | None) -> str | None:
    """The refused file's SHA-256 for the log, if it could be read."""
    if digest is None:
        return None
    try:
        return digest.result()
    except _Refused:
        return None


def scratch_folder(beside: Path, prefix: str) -> Path:
    """A new private folder for a merge's scratch files (a copy of the target for a dry run, a
    mission made of an observer's workbook), hidden beside the mission file ``beside``: what
    a merge killed half-way leaves is then on the mission's own medium (an encrypted stick,
    say), not on the laptop's disk. In the system's temporary folder only when the mission's
    folder cannot be written to (a dry run on read-only media)."""
    try:
        return Path(tempfile.mkdtemp(dir=beside.parent, prefix=f".{prefix}"))
    except OSError:
        return Path(tempfile.mkdtemp(prefix=prefix))


@contextlib.contextmanager
def _scratch_copy(target: Mission) -> Iterator[Path]:
    """A copy of the target to run a dry run on (ATTACH works in a transaction, DETACH does not,
    so a rolled-back transaction over many sources is not possible)."""
    folder = scratch_folder(Path(target.path), "pollcheck-dry-run-")
    try:
        copy = folder / "target.pollcheck"
        dest = sqlite3.connect(copy)
        try:
            target.conn.backup(dest)
        finally:
            dest.close()
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Seconds between two passive checkpoints during a merge. 0.02, 0.1 and 0.5 s measured the same
# (200 and 2,000 files); 0.1 s syncs the mission file less often on slow media (USB sticks).
_CHECKPOINT_EVERY = 0.1


class _Checkpointer:
    """Copies the WAL into the target from a thread and a connection of its own while the merge
    writes (a passive checkpoint every 0.1 s: it never waits for the merge, nor the merge for it).

    The kernel's work of writing pages into the mission file then runs beside the merge, on a
    second core, rather than inside the merge's commits; it is what grows as the target grows
    (docs/performance.md). Whatever it has not copied when the merge ends, the merge's own final
    checkpoint does. A failure here (a full disk, say) only stops the copying: the merge's
    commits and its final checkpoint report errors themselves.
    """

    def __init__(self, path: Path) -> None:
        import threading

        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(path,), name="pollcheck-checkpoint", daemon=True
        )
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            conn = sqlite3.connect(
                path.resolve().as_uri(), uri=True, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error:
            return
        try:
            conn.execute("PRAGMA synchronous = FULL")
            while not self._stop.wait(_CHECKPOINT_EVERY):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def merge(
    target: Mission,
    sources: Sequence[Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MergeResult:
    """Merge ``sources`` into ``target``, each in its own transaction, in the order given.

    Each source is checked as untrusted before anything of it is read (see
    :func:`check_source`); one that fails is refused with its reason and leaves the target as it
    was (the refusal is logged), and the others still merge. Every merge is recorded in the
    target's ``merges`` table. With ``dry_run`` the same merge runs on a scratch copy of the
    target, so the results say exactly what would happen, and the target is not touched.

    Args:
        progress: called with (sources done, sources in all) before each source and at the end.
        cancelled: asked before each source; when it returns True the rest are ``skipped``.

    Raises:
        KnownError: the target cannot be written (read-only, locked, disk full).
    """
    paths = [Path(p) for p in sources]
    if target.readonly and not dry_run:
        raise KnownError(Phrase("merge.readonly", path=str(target.path)))
    with contextlib.ExitStack() as stack:
        where = stack.enter_context(_scratch_copy(target)) if dry_run else target.path
        conn = _connect(where, readonly=False)
        stack.callback(conn.close)
        merger = _Merger(conn, where)
        checkpointer = _Checkpointer(where)
        stack.callback(checkpointer.stop)  # stopped before the connection closes, if not yet
        results: list[SourceResult] = []
        stopped = False
        for done, path in enumerate(paths):
            if progress:
                progress(done, len(paths))
            if stopped or (cancelled is not None and cancelled()):
                stopped = True
                results.append(SourceResult(path=path, outcome="skipped"))
                continue
            results.append(_merge_one(merger, path, target.path))
        if progress:
            progress(len(paths), len(paths))
        checkpointer.stop()  # a TRUNCATE checkpoint waits for the other connection to finish
        if not dry_run:
            with contextlib.suppress(sqlite3.Error):  # a reader may hold it up: then later
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and give back the WAL's space
    target._forms_cache.clear()
    return MergeResult(tuple(results), dry_run=dry_run, cancelled=stopped)


def check_source(path: Path, target: Mission) -> list[Problem]:
    """What stops ``path`` from being merged into ``target``: the empty list if nothing does.

    Reads the source read-only and writes nothing. Checks, in order: the file exists and is an
    SQLite database (or a recognised kind of source); it passes ``quick_check``; it has
    Pollcheck's ``application_id`` and a schema version this Pollcheck reads; its tables,
    indexes and columns are exactly those of that schema, with no triggers and no views other
    than Pollcheck's own per-form views; it belongs to the target's mission; and its rows are
    well formed, their content digests recomputed and matching, their forms known.

    Raises:
        KnownError: the target itself cannot be read.
    """
    path = Path(path)
    conn = _connect(target.path, readonly=True)
    try:
        merger = _Merger(conn, target.path)
        try:
            if _same_file(path, target.path):
                return [_problem("M115", path)]
            kind = _sniff(path)
            staged = kind.stage(merger, path)
            conn.execute("BEGIN")
            try:
                merger.check_rows(path, staged)
            finally:
                conn.execute("ROLLBACK")
        except _Refused as refusal:
            return list(refusal.problems)
        except sqlite3.Error as exc:
            return [_damaged(path, exc)]
        finally:
            merger.detach()
    finally:
        conn.close()
    return []


# Kept for the GUI's merge dialog, which shows a source's kind before merging.
def source_kind(path: Path) -> str | None:
    """``mission file``, ``workbook``, or None if ``path`` is neither (or cannot be read)."""
    try:
        kind = _sniff(Path(path))
    except _Refused:
        return None
    return kind.label
