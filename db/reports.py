"""Reports: filled forms, saved in one transaction each with an append-only history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.errors import InputError, Items, KnownError, NotFoundError, Phrase, Problem
from db.mission import Mission, now

if TYPE_CHECKING:
    from forms.model import Form
    from forms.validate import Validation

# db.forms and forms.validate (with the expression parser), uuid and hashlib are imported on
# first use, in the functions that write reports: start-up time (the program lists reports first).

STATUSES = ("draft", "complete")
_UNSET: Any = object()


@dataclass(frozen=True)
class Report:
    """One filled form as stored now (its latest revision)."""

    uuid: str
    form_id: str
    form_version: str
    station_code: str | None
    region: str | None
    observer: str | None
    device: str
    status: str
    deleted: bool
    revision: int
    created: str
    updated: str
    started: str | None
    submitted: str | None
    answers: dict[str, Any]
    content_sha: str


@dataclass(frozen=True)
class SavedReport:
    """A report after a save, and what validation made of its answers."""

    report: Report
    validation: Validation
    changed: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One save of a report: who, when, from which device, and what changed."""

    revision: int
    saved: str
    observer: str | None
    device: str
    status: str
    deleted: bool
    changes: dict[str, Any]
    answers: dict[str, Any]


class ReportInvalid(InputError):
    """A report cannot be saved as complete: its answers have problems."""


_COLUMNS = (
    "uuid, form_id, form_version, station_code, region, observer, device, status, deleted,"
    " revision, created, updated, started, submitted, answers, content_sha"
)


def _row_to_report(row: tuple[Any, ...]) -> Report:
    return Report(
        uuid=row[0],
        form_id=row[1],
        form_version=row[2],
        station_code=row[3],
        region=row[4],
        observer=row[5],
        device=row[6],
        status=row[7],
        deleted=bool(row[8]),
        revision=row[9],
        created=row[10],
        updated=row[11],
        started=row[12],
        submitted=row[13],
        answers=json.loads(row[14]),
        content_sha=row[15],
    )


def new_report_uuid(
    mission_id: str,
    device: str,
    *,
    clock_ms: int | None = None,
    random_bits: int | None = None,
) -> str:
    """A new report id: a UUID (RFC 9562, version 8) that sorts by laptop, then by time.

    The first 32 bits are the same for every report one device makes in one mission (the start
    of SHA-256 of the mission id and the device id: nothing that names either, and another
    mission's reports from the same laptop start differently); then the time in milliseconds
    (48 bits, ``clock_ms`` or now); then 42 random bits (``random_bits`` or from the system).
    Version and variant bits sit where RFC 9562 puts them.

    Why not a random version-4 UUID: the reports an observer's file brings to HQ then land side by
    side in the target's indexes on report ids (reports, history) instead of on a page each all
    over them, so a merge writes a few pages per index rather than one per report, and a large
    target merges a file nearly as quickly as a small one. Ids are still only ids: a report is
    known by its UUID, of any version (imported and older reports keep their random ones).
    """
    import hashlib
    import time

    if clock_ms is None:
        clock_ms = time.time_ns() // 1_000_000
    if random_bits is None:
        import secrets

        random_bits = secrets.randbits(42)
    digest = hashlib.sha256(f"{mission_id}\n{device}".encode()).digest()
    # 122 bits of our own: device (32) · time (48) · random (42), spread around the 6 fixed bits.
    value = (
        int.from_bytes(digest[:4], "big") << 90
        | (clock_ms & (1 << 48) - 1) << 42
        | random_bits & (1 << 42) - 1
    )
    number = (
        (value >> 74) << 80  # 48 bits
        | 8 << 76  # version 8
        | ((value >> 62) & 0xFFF) << 64  # 12 bits
        | 0b10 << 62  # the RFC 9562 variant
        | value & (1 << 62) - 1  # 62 bits
    )
    import uuid as uuidlib

    return str(uuidlib.UUID(int=number))


def content_sha(
    *,
    form_version: str,
    station_code: str | None,
    region: str | None,
    observer: str | None,
    status: str,
    deleted: bool,
    answers: Mapping[str, Any],
) -> str:
    """A digest of what a report says (not who saved it, when or where): same content, same sha."""
    canonical = json.dumps(
        [form_version, station_code, region, observer, status, int(deleted), answers],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    import hashlib  # on first use: OpenSSL's start costs the program's start-up time

    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def get_report(mission: Mission, uuid: str) -> Report:
    """The report ``uuid``; :class:`NotFoundError` if the mission has none."""
    row = mission.conn.execute(f"SELECT {_COLUMNS} FROM reports WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        raise NotFoundError(Phrase("report.not_found", uuid=uuid))
    return _row_to_report(row)


def list_reports(
    mission: Mission,
    *,
    form_id: str | None = None,
    station_code: str | None = None,
    status: str | None = None,
    include_deleted: bool = False,
) -> list[Report]:
    """Reports, newest change first, filtered as asked (deleted ones left out by default)."""
    where, params = [], []
    if form_id is not None:
        where.append("form_id = ?")
        params.append(form_id)
    if station_code is not None:
        where.append("station_code = ?")
        params.append(station_code)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if not include_deleted:
        where.append("deleted = 0")
    sql = f"SELECT {_COLUMNS} FROM reports"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY updated DESC, uuid"
    return [_row_to_report(r) for r in mission.conn.execute(sql, params)]


def report_history(mission: Mission, uuid: str) -> list[HistoryEntry]:
    """Every save of the report, oldest first."""
    get_report(mission, uuid)
    rows = mission.conn.execute(
        "SELECT revision, saved, observer, device, status, deleted, changes, answers FROM history"
        " WHERE report_uuid = ? ORDER BY revision, id",
        (uuid,),
    ).fetchall()
    return [
        HistoryEntry(r[0], r[1], r[2], r[3], r[4], bool(r[5]), json.loads(r[6]), json.loads(r[7]))
        for r in rows
    ]


def _check_station(
    mission: Mission, form: Form, station_code: str | None, region: str | None
) -> list[Problem]:
    problems = []
    station = (Phrase("place.the_station"),)
    if form.station == "required" and not station_code:
        problems.append(Problem.of("R101", station, form=form.form_id))
    if form.station == "absent" and station_code:
        problems.append(Problem.of("R102", station, form=form.form_id))
    if station_code:
        found = mission.conn.execute(
            "SELECT 1 FROM stations WHERE code = ?", (station_code,)
        ).fetchone()
        if found is None:
            problems.append(Problem.of("R103", station, station=station_code))
    return problems


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    keys = sorted(set(old) | set(new))
    return {k: [old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)}


def _write(
    mission: Mission,
    *,
    previous: Report | None,
    report_uuid: str,
    form: Form,
    station_code: str | None,
    region: str | None,
    observer: str | None,
    device: str,
    status: str,
    deleted: bool,
    answers: dict[str, Any],
    started: str | None,
    submitted: str | None,
    who: str | None = None,
) -> tuple[Report, bool]:
    sha = content_sha(
        form_version=form.version,
        station_code=station_code,
        region=region,
        observer=observer,
        status=status,
        deleted=deleted,
        answers=answers,
    )
    if previous is not None and previous.content_sha == sha:
        return previous, False
    stamp = now()
    revision = 1 if previous is None else previous.revision + 1
    changes: dict[str, Any] = {"answers": _diff(previous.answers if previous else {}, answers)}
    for key, old, new in (
        ("status", previous.status if previous else None, status),
        ("deleted", previous.deleted if previous else None, deleted),
        ("station_code", previous.station_code if previous else None, station_code),
        ("region", previous.region if previous else None, region),
        ("observer", previous.observer if previous else None, observer),
        ("form_version", previous.form_version if previous else None, form.version),
    ):
        if old != new:
            changes[key] = [old, new]
    if status == "complete" and not submitted:
        submitted = stamp
    record = {
        "uuid": report_uuid,
        "form_id": form.form_id,
        "form_version": form.version,
        "station_code": station_code,
        "region": region,
        "observer": observer,
        "device": device,
        "status": status,
        "deleted": int(deleted),
        "revision": revision,
        "created": previous.created if previous else stamp,
        "updated": stamp,
        "started": started,
        "submitted": submitted,
        "answers": json.dumps(answers, ensure_ascii=False, sort_keys=True),
        "content_sha": sha,
    }
    with mission.transaction():
        if observer:
            mission.conn.execute(
                "INSERT OR IGNORE INTO observers (name, added) VALUES (?, ?)", (observer, stamp)
            )
        if previous is None:
            _insert(mission, "reports", record)
        else:
            cur = mission.conn.execute(
                "UPDATE reports SET form_version = :form_version, station_code = :station_code,"
                " region = :region, observer = :observer, device = :device, status = :status,"
                " deleted = :deleted, revision = :revision, updated = :updated,"
                " started = :started, submitted = :submitted, answers = :answers,"
                " content_sha = :content_sha WHERE uuid = :uuid AND revision = :prev",
                {**record, "prev": previous.revision},
            )
            if cur.rowcount != 1:
                raise KnownError(Phrase("report.changed", uuid=report_uuid))
        _insert(
            mission,
            "history",
            {
                "report_uuid": report_uuid,
                "revision": revision,
                "saved": stamp,
                "observer": who if who is not None else observer,
                "device": device,
                "form_version": form.version,
                "station_code": station_code,
                "region": region,
                "status": status,
                "deleted": int(deleted),
                "answers": record["answers"],
                "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                "content_sha": sha,
            },
        )
    return get_report(mission, report_uuid), True


def _insert(mission: Mission, table: str, row: Mapping[str, Any]) -> None:
    """One row of a Pollcheck table (names are ours, values bound as parameters)."""
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    mission.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", dict(row))


def _checked(
    form: Form,
    answers: Mapping[str, Any],
    status: str,
    problems: list[Problem],
    today: dt.date | None,
    uuid: str | None,
) -> Validation:
    """The answers validated; ``uuid`` names the report in errors (None: a new report)."""
    from forms.validate import validate

    if status not in STATUSES:
        raise InputError(Phrase("report.bad_status", status=status))
    validation = validate(form, answers, today=today)
    if status == "complete":
        problems = problems + [
            Problem.of("R110", (_question(p.path),), message=p.message) for p in validation.problems
        ]
    if problems:
        named = _STATUS_NAMES.get(status, status)
        raise ReportInvalid(
            Phrase("report.invalid_new", status=named)
            if uuid is None
            else Phrase("report.invalid", uuid=uuid, status=named),
            problems,
        )
    return validation


_STATUS_NAMES = {"complete": Phrase("status.complete"), "draft": Phrase("status.draft")}


def _question(path: tuple[str | int, ...]) -> Phrase:
    """Where an answer is: ``question problems / row 2 / category`` (rows counted from 1)."""
    parts = (Phrase("place.row", row=p + 1) if isinstance(p, int) else str(p) for p in path)
    return Phrase("place.question", path=Items(parts, sep=" / ", shown=None))


def create_report(
    mission: Mission,
    form_id: str,
    *,
    device: str,
    observer: str | None = None,
    station_code: str | None = None,
    region: str | None = None,
    answers: Mapping[str, Any] | None = None,
    status: str = "draft",
    uuid: str | None = None,
    form_version: str | None = None,
    started: str | None = None,
    submitted: str | None = None,
    today: dt.date | None = None,
) -> SavedReport:
    """Create a report of form ``form_id`` (its latest version unless ``form_version``).

    A draft may have unanswered or wrong answers; a complete report must pass validation.
    Answers to questions that are not relevant are dropped (see ``validation.dropped``).
    Without ``answers`` the report starts from the form's ``default`` values.

    Raises:
        ReportInvalid: the station does not fit the form, or a complete report has problems.
        NotFoundError: no such form.
        InputError: ``uuid`` is not a UUID or is used already.
    """
    import uuid as uuidlib

    from db.forms import get_form
    from forms.validate import initial_answers

    form = get_form(mission, form_id, form_version)
    if uuid:
        report_uuid = str(uuidlib.UUID(uuid))
    else:
        mission_id = mission.conn.execute("SELECT mission_id FROM mission").fetchone()[0]
        report_uuid = new_report_uuid(mission_id, device)
    if mission.conn.execute("SELECT 1 FROM reports WHERE uuid = ?", (report_uuid,)).fetchone():
        raise InputError(Phrase("report.exists", uuid=report_uuid))
    problems = _check_station(mission, form, station_code, region)
    # A new report starts from the form's default values, as in any XLSForm tool.
    start = initial_answers(form) if answers is None else answers
    validation = _checked(form, start, status, problems, today, None)
    report, _ = _write(
        mission,
        previous=None,
        report_uuid=report_uuid,
        form=form,
        station_code=station_code,
        region=region,
        observer=observer,
        device=device,
        status=status,
        deleted=False,
        answers=validation.answers,
        started=started or now(),
        submitted=submitted,
    )
    return SavedReport(report, validation, True)


def save_report(
    mission: Mission,
    uuid: str,
    *,
    device: str,
    observer: str | None = _UNSET,
    answers: Mapping[str, Any] | None = None,
    status: str | None = None,
    station_code: str | None = _UNSET,
    region: str | None = _UNSET,
    expected_revision: int | None = None,
    today: dt.date | None = None,
) -> SavedReport:
    """Save a new state of report ``uuid``; what is not given stays as it is.

    A save that changes nothing adds no revision. Saving is one transaction that updates the
    report and appends to its history.

    Raises:
        ReportInvalid: a complete report with problems (nothing is written).
        KnownError: the report changed since ``expected_revision``.
    """
    from db.forms import get_form

    current = get_report(mission, uuid)
    if current.deleted:
        raise InputError(Phrase("report.deleted", uuid=uuid))
    if expected_revision is not None and expected_revision != current.revision:
        raise KnownError(
            Phrase(
                "report.changed_revision",
                uuid=uuid,
                revision=current.revision,
                expected=expected_revision,
            )
        )
    form = get_form(mission, current.form_id, current.form_version)
    new_station = current.station_code if station_code is _UNSET else station_code
    new_region = current.region if region is _UNSET else region
    new_status = status or current.status
    problems = (
        _check_station(mission, form, new_station, new_region)
        if new_station != current.station_code or new_region != current.region
        else []
    )
    validation = _checked(
        form,
        current.answers if answers is None else answers,
        new_status,
        problems,
        today,
        uuid,
    )
    report, changed = _write(
        mission,
        previous=current,
        report_uuid=uuid,
        form=form,
        station_code=new_station,
        region=new_region,
        observer=current.observer if observer is _UNSET else observer,
        device=device,
        status=new_status,
        deleted=False,
        answers=validation.answers,
        started=current.started,
        submitted=current.submitted,
    )
    return SavedReport(report, validation, changed)


def delete_report(
    mission: Mission, uuid: str, *, device: str, observer: str | None = None, deleted: bool = True
) -> Report:
    """Mark a report deleted (or restore it with ``deleted=False``); its history keeps it all."""
    from db.forms import get_form

    current = get_report(mission, uuid)
    form = get_form(mission, current.form_id, current.form_version)
    report, _ = _write(
        mission,
        previous=current,
        report_uuid=uuid,
        form=form,
        station_code=current.station_code,
        region=current.region,
        observer=current.observer,
        device=device,
        status=current.status,
        deleted=deleted,
        answers=current.answers,
        started=current.started,
        submitted=current.submitted,
        who=observer,
    )
    return report
