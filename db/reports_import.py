"""Imports reports from a sheet (typed paper forms, KoBo/ODK exports): all rows or none."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import InputError, Phrase, Problem, place
from db.forms import get_form
from db.mission import Mission
from db.reports import Report, content_sha, create_report, get_report, save_report
from db.tables import read_table
from forms.model import Form, Question
from forms.validate import Validation, validate

# Columns about the report rather than its answers.
REPORT_COLUMNS = ("station", "observer", "status", "uuid", "started", "submitted", "region")
# Columns other Pollcheck sheets carry that an import reads past (an Excel export's Reports sheet).
IGNORED_COLUMNS = (
    "revision",
    "station_number",
    "number",
    "district",
    "station_name",
    "created",
    "updated",
    "form_id",
    "form_version",
    "device",
    "deleted",
    "findings",
)
_ALIASES = {
    "station_code": "station",
    "report_id": "uuid",
    "_uuid": "uuid",
    "meta/instanceid": "uuid",
    "instanceid": "uuid",
    "start": "started",
    "_submission_time": "submitted",
    "end": "submitted",
}


@dataclass(frozen=True)
class ReportsImport:
    """What an import did, and the warnings (answers dropped as not relevant…)."""

    added: int
    updated: int
    unchanged: int
    warnings: tuple[Problem, ...]


@dataclass
class _Row:
    number: int
    uuid: str | None
    station: str | None
    region: str | None
    observer: str | None
    status: str
    started: str | None
    submitted: str | None
    answers: dict[str, Any]
    extra: dict[str, str]


def _norm(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


def parse_timestamp(text: str) -> str | None:
    """``text`` (ISO 8601, as a sheet gives a date and time) as stored: UTC, ``...Z``."""
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0).isoformat() + "Z"


def import_reports(
    mission: Mission,
    path: Path,
    form_id: str,
    *,
    device: str,
    encoding: str | None = None,
    observer: str | None = None,
) -> ReportsImport:
    """Import the reports in the sheet at ``path`` as reports of form ``form_id``.

    One row per report: ``station`` (station code), optional ``observer``, ``status`` (default
    complete), ``uuid``, ``started``, ``submitted``, then one column per question name;
    ``select_multiple`` answers separated by spaces; an empty cell is no answer. A choice may be
    given by its name or by its label in any of the form's languages (several labels separated
    by ';').

    The workbook ``pollcheck export xlsx`` writes reads back as it is: the row of labels under
    the names is recognised and skipped (see :func:`_is_label_row`), calculations and the 0/1
    column per choice are read past, a ``region`` that is the station's own region leaves the
    report's region as it is, and the rows of repeat groups come from the workbook's other
    sheets (see :func:`_read_repeat_sheets`). Exporting and importing into the same mission
    changes nothing.

    Every row is checked first; with any problem nothing is written and :class:`InputError`
    lists every problem (row, column, what, fix). Answers to questions that the row's other
    answers make not relevant are dropped with a warning, as in entry. A row whose ``uuid`` is
    already in the mission with the same content changes nothing.
    """
    sheet = read_reports(mission, path, form_id, encoding=encoding, observer=observer)
    if sheet.problems:
        raise InputError(Phrase("reports.problems", name=sheet.name), list(sheet.problems))
    form = sheet.form
    rows = sheet.rows
    warnings = list(sheet.warnings)

    added = updated = unchanged = 0
    with mission.transaction():
        for row in rows:
            existing = _existing(mission, row.uuid)
            if existing is None:
                create_report(
                    mission,
                    form.form_id,
                    device=device,
                    observer=row.observer,
                    station_code=row.station,
                    region=row.region,
                    answers=row.answers,
                    status=row.status,
                    uuid=row.uuid,
                    started=row.started,
                    submitted=row.submitted,
                )
                added += 1
                continue
            if _same(existing, row):
                unchanged += 1
                continue
            save_report(
                mission,
                existing.uuid,
                device=device,
                observer=row.observer or existing.observer,
                answers=row.answers,
                status=row.status,
                station_code=row.station,
                region=row.region,
            )
            updated += 1
    return ReportsImport(added, updated, unchanged, tuple(warnings))


@dataclass(frozen=True)
class SheetReport:
    """One row of a sheet of reports, read and checked as an import reads it.

    ``answers`` are as the row gives them and ``validation`` what the form makes of them
    (``validation.answers`` is what a save stores); ``form`` is the form version the row is
    checked against (the stored report's, if the mission has it); ``extra`` holds the text of
    the columns an import reads past (``revision``, ``updated``…), by their normalised name.
    """

    number: int
    uuid: str | None
    station: str | None
    region: str | None
    observer: str | None
    status: str
    started: str | None
    submitted: str | None
    answers: dict[str, Any]
    validation: Validation
    form: Form
    extra: dict[str, str]


@dataclass(frozen=True)
class SheetReports:
    """A sheet of reports read and checked: every problem found, nothing written."""

    name: str
    form: Form
    rows: tuple[SheetReport, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def read_columns(
    form: Form, headers: Sequence[str], name: str
) -> tuple[dict[str, str], list[Problem]]:
    """What each column of a sheet of ``form``'s reports is, and the columns that are wrong.

    Returns ``{header: kind}``: a report column (``station``, ``uuid``…), ``q:<question>``, or
    ``x:<column>`` for the columns an import reads past (``x:revision``, ``x:updated``…).
    Columns of calculations and the 0/1 columns per choice are left out.
    """
    problems: list[Problem] = []
    questions = _answerable(form)
    calculated = {q.name for q in form.questions() if q.type == "calculate"}
    in_repeat = {q.name for r in form.repeats() for q in _questions_of(r.children)}
    columns: dict[str, str] = {}  # header as written -> what it is
    for raw in headers:
        header = _without_group_path(raw, questions)
        key = _meta_key(header, questions)
        # 'region' is not one of the documented report columns: a question of that name (the
        # critical incident template has one) keeps its column rather than lose its answers.
        if key in REPORT_COLUMNS and not (key == "region" and header.strip() in questions):
            columns[raw] = key
        elif header.strip() in questions:
            if header.strip() in in_repeat:
                problems.append(Problem.of("I102", place(name, column=raw)))
            else:
                columns[raw] = "q:" + header.strip()
        elif key in IGNORED_COLUMNS:
            columns[raw] = "x:" + key  # another sheet's bookkeeping: read past, kept aside
        elif _is_choice_column(raw, form, questions) or header.strip() in calculated:
            # an export's 0/1 column per choice, or a calculation's result (calculations are
            # made again from the answers)
            continue
        else:
            problems.append(
                Problem.of("I101", place(name, column=raw), form=form.form_id, header=header)
            )
    return columns, problems


def _answerable(form: Form) -> dict[str, Question]:
    return {q.name: q for q in form.questions() if q.takes_answer and q.type != "calculate"}


def read_reports(
    mission: Mission,
    path: Path,
    form_id: str,
    *,
    encoding: str | None = None,
    observer: str | None = None,
    for_merge: bool = False,
) -> SheetReports:
    """Read and check the sheet at ``path`` as :func:`import_reports` does; write nothing.

    Every problem an import would refuse the sheet for is in ``problems``, in the order an
    import lists them. With ``for_merge`` a row of a report that is deleted in the mission is
    not a problem: a merge decides between the versions by its own rules.
    """
    form = get_form(mission, form_id)
    table = read_table(Path(path), encoding=encoding)
    name = table.path.name
    warnings: list[Problem] = []
    questions = _answerable(form)
    columns, problems = read_columns(form, table.headers, name)
    if form.station == "required" and "station" not in columns.values():
        problems.append(Problem.of("I103", place(name)))

    station_regions = dict(mission.conn.execute("SELECT code, region FROM stations").fetchall())
    stations = set(station_regions)
    rows: list[SheetReport] = []
    seen_uuids: dict[str, int] = {}
    data_rows = table.rows
    if data_rows and _is_label_row(form, columns, data_rows[0][1]):
        data_rows = data_rows[1:]  # the labels under the names, as a Pollcheck export has them
    read_rows: list[_Row] = []
    for number, cells in data_rows:
        row = _read_row(
            form, questions, columns, number, cells, name, observer, stations, problems, seen_uuids
        )
        if row is not None:
            read_rows.append(row)
    if table.sheet is not None and any(True for _ in form.repeats()):
        _read_repeat_sheets(form, Path(path), table.sheet, read_rows, problems)
    for row in read_rows:
        number = row.number
        existing = _existing(mission, row.uuid)
        if row.station and row.region and row.region == station_regions.get(row.station):
            # The station's own region (an export writes it for every report): the report
            # keeps the region it has, none for a new one; the station's is used anyway.
            row.region = existing.region if existing is not None else None
        # A report keeps the form version it was made with: check the row against that one.
        row_form = (
            get_form(mission, existing.form_id, existing.form_version)
            if existing is not None and existing.form_id == form.form_id
            else form
        )
        validation = validate(row_form, row.answers)
        for p in validation.problems:
            if row.status == "complete" or p.code not in ("required", "constraint"):
                problems.append(
                    Problem.of(
                        "I110",
                        place(name, row=number, column=p.question),
                        _FIX_VARIANTS.get(p.code),
                        message=p.message,
                    )
                )
        read = SheetReport(
            number,
            row.uuid,
            row.station,
            row.region,
            row.observer,
            row.status,
            row.started,
            row.submitted,
            row.answers,
            validation,
            row_form,
            row.extra,
        )
        if existing is not None and existing.form_id != form.form_id:
            problems.append(
                Problem.of(
                    "I106",
                    place(name, row=number, column="uuid"),
                    uuid=row.uuid,
                    form=existing.form_id,
                    expected=form.form_id,
                )
            )
        elif (
            not for_merge
            and existing is not None
            and existing.deleted
            and not _same(existing, read)
        ):
            problems.append(
                Problem.of("I107", place(name, row=number, column="uuid"), uuid=row.uuid)
            )
        for path_ in validation.dropped:
            warnings.append(Problem.of("I201", place(name, row=number, column=str(path_[-1]))))
        rows.append(read)
    if not data_rows:
        problems.append(Problem.of("I104", place(name)))
    return SheetReports(name, form, tuple(rows), tuple(problems), tuple(warnings))


def _meta_key(header: str, questions: dict[str, Question]) -> str:
    """What a header names once normalised: ``report_region`` is the report's ``region`` (an
    export names its column so when the form has a question called ``region``)."""
    key = _ALIASES.get(_norm(header), _norm(header))
    if key.startswith("report_") and header.strip() not in questions:
        inner = _ALIASES.get(key[len("report_") :], key[len("report_") :])
        if inner in REPORT_COLUMNS or inner in IGNORED_COLUMNS:
            return inner
    return key


def _is_uuid(text: str) -> bool:
    try:
        uuidlib.UUID(text.removeprefix("uuid:"))
    except ValueError:
        return False
    return True


def _is_label_row(form: Form, columns: dict[str, str], cells: dict[str, str]) -> bool:
    """Whether a sheet's first row under the header gives the questions' labels, as the second
    header row of a Pollcheck export does: every question column holds its question's label (in
    any of the form's languages) or nothing, at least one holds one, and the ``uuid`` column
    holds no report id. Such a row is not a report, and is skipped."""
    labelled = 0
    for header, kind in columns.items():
        text = (cells.get(header) or "").strip()
        if not text:
            continue
        if kind == "uuid" and _is_uuid(text):
            return False
        if kind.startswith("q:"):
            q = form.question(kind[2:])
            labels = {label.strip().casefold() for label in q.labels.values()}
            if text.casefold() not in labels | {q.name.casefold()}:
                return False
            labelled += 1
    return labelled > 0


def _sheet_headers(path: Path) -> list[tuple[str, list[str]]]:
    """Each sheet of a workbook with its first row (as text), cheaply."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return []  # read_table has already read the file: nothing more to find
    try:
        out = []
        for ws in workbook.worksheets:
            first = next(ws.iter_rows(max_row=1, values_only=True), ())
            out.append((ws.title, [str(v).strip() if v is not None else "" for v in first]))
        return out
    finally:
        workbook.close()


def _read_repeat_sheets(
    form: Form, path: Path, main_sheet: str, rows: list[_Row], problems: list[Problem]
) -> None:
    """Add the rows of repeat groups from the workbook's other sheets to the reports' answers.

    A sheet holds the rows of one repeat when its header has ``uuid`` (the report's id),
    ``row`` (the row's number, ``2.1`` inside an enclosing repeat's row 2) and the repeat's own
    questions, as the sheets a Pollcheck export writes per repeat group. Other sheets are
    ignored.
    """
    chains: dict[str, list[str]] = {}
    own: dict[str, dict[str, Question]] = {}
    for item, parents in form.walk():
        if isinstance(item, Question) and item.takes_answer and item.type != "calculate":
            enclosing = [p for p in parents if p.repeat]
            if enclosing:
                repeat = enclosing[-1]
                chains[repeat.name] = [p.name for p in enclosing]
                own.setdefault(repeat.name, {})[item.name] = item
    calculated = {q.name for q in form.questions() if q.type == "calculate"}
    by_uuid = {r.uuid: r for r in rows if r.uuid}
    sheets: list[tuple[int, str, str]] = []
    for title, headers in _sheet_headers(path):
        if title == main_sheet:
            continue
        keys = [_ALIASES.get(_norm(h), _norm(h)) for h in headers if h]
        named = [h for h in headers if _repeat_of(h, own)]
        repeat = _repeat_of(named[0], own) if named else None
        if repeat is None or "uuid" not in keys or not ({"row", "report_row"} & set(keys)):
            continue
        sheets.append((len(chains[repeat]), title, repeat))
    for _depth, title, repeat in sorted(sheets):
        table = read_table(path, sheet=title)
        questions = own[repeat]
        columns: dict[str, str] = {}
        for raw in table.headers:
            header = raw.strip()
            key = _ALIASES.get(_norm(header), _norm(header))
            if header in questions:
                columns[raw] = "q:" + header
            elif header not in questions and key in ("uuid", "row"):
                columns[raw] = key
            elif key in ("report_row", "report_uuid"):
                columns[raw] = key.removeprefix("report_")
            elif (
                key in ("station", "report_station")
                or header in calculated
                or _is_choice_column(raw, form, questions)
            ):
                continue
            else:
                problems.append(
                    Problem.of(
                        "I101",
                        table.place(column=raw),
                        "repeat",
                        repeat=repeat,
                        form=form.form_id,
                        header=header,
                    )
                )
        data_rows = table.rows
        if data_rows and _is_label_row(form, columns, data_rows[0][1]):
            data_rows = data_rows[1:]
        placed: list[tuple[tuple[int, ...], _Row, dict[str, Any]]] = []
        for number, cells in data_rows:
            report_id = (cells.get(_column_of(columns, "uuid")) or "").strip()
            report = by_uuid.get(_uuid_or_none(report_id) or "")
            if report is None:
                problems.append(
                    Problem.of("I108", table.place(number, "uuid"), id=report_id, sheet=main_sheet)
                )
                continue
            text = (cells.get(_column_of(columns, "row")) or "").strip()
            path_ = _row_path(text, len(chains[repeat]))
            if path_ is None:
                problems.append(
                    Problem.of(
                        "I109",
                        table.place(number, "row"),
                        "nested" if "." in text else None,
                        text=text,
                    )
                )
                continue
            values: dict[str, Any] = {}
            for header, kind in columns.items():
                value = (cells.get(header) or "").strip()
                if kind.startswith("q:") and value:
                    q = questions[kind[2:]]
                    values[q.name] = _choice_names(form, q, value) if q.is_select else value
            placed.append((path_, report, values))
        placed.sort(key=lambda p: p[0])
        for path_, report, values in placed:
            _place(report.answers, chains[repeat], path_, values)


def _repeat_of(header: str, own: dict[str, dict[str, Question]]) -> str | None:
    for repeat, questions in own.items():
        if header in questions:
            return repeat
    return None


def _column_of(columns: dict[str, str], kind: str) -> str:
    return next((h for h, k in columns.items() if k == kind), "")


def _uuid_or_none(text: str) -> str | None:
    try:
        return str(uuidlib.UUID(text.removeprefix("uuid:")))
    except ValueError:
        return None


def _row_path(text: str, depth: int) -> tuple[int, ...] | None:
    """``2.1`` -> (2, 1): a row's number within each enclosing repeat, 1-based."""
    parts = text.split(".")
    if len(parts) != depth or not all(p.isdigit() and int(p) > 0 for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _place(answers: dict[str, Any], chain: list[str], path: tuple[int, ...], values: Any) -> None:
    """Put one repeat row's answers at ``path`` in a report's answers (rows before it made)."""
    level = answers
    for name, index in zip(chain, path, strict=True):
        rows = level.setdefault(name, [])
        while len(rows) < index:
            rows.append({})
        level = rows[index - 1]
    level.update(values)


def _without_group_path(header: str, questions: dict[str, Question]) -> str:
    """``opening/box_sealed`` (KoBo/ODK name their columns by group path) -> ``box_sealed``."""
    last = header.strip().rsplit("/", 1)[-1]
    return last if "/" in header and last in questions else header


def _is_choice_column(header: str, form: Form, questions: dict[str, Question]) -> bool:
    """A 0/1 column per choice of a select_multiple (``present/police``), as exports write."""
    if "/" not in header:
        return False
    question, _, choice = header.strip().rpartition("/")
    q = questions.get(question.rsplit("/", 1)[-1])
    return (
        q is not None
        and q.type == "select_multiple"
        and any(c.name == choice for c in form.choice_list(q))
    )


def _existing(mission: Mission, report_uuid: str | None) -> Report | None:
    if report_uuid is None:
        return None
    try:
        return get_report(mission, report_uuid)
    except InputError:
        return None


def _same(existing: Report, row: SheetReport) -> bool:
    """Whether ``row`` says what the stored report says (so importing it changes nothing)."""
    return (
        content_sha(
            form_version=existing.form_version,
            station_code=row.station,
            region=row.region,
            observer=row.observer or existing.observer,
            status=row.status,
            deleted=existing.deleted,
            answers=row.validation.answers,
        )
        == existing.content_sha
    )


def _questions_of(items: Any) -> list[Question]:
    out: list[Question] = []
    for item in items:
        if isinstance(item, Question):
            out.append(item)
        else:
            out.extend(_questions_of(item.children))
    return out


# The answer problems that problem I110 has a fix of its own for (else "Correct the value.").
_FIX_VARIANTS = {
    code: code
    for code in (
        "required",
        "constraint",
        "choice",
        "integer",
        "decimal",
        "date",
        "time",
        "datetime",
    )
}


def _read_row(
    form: Form,
    questions: dict[str, Question],
    columns: dict[str, str],
    number: int,
    cells: dict[str, str],
    name: str,
    default_observer: str | None,
    stations: set[str],
    problems: list[Problem],
    seen_uuids: dict[str, int],
) -> _Row | None:
    meta: dict[str, str] = {}
    answers: dict[str, Any] = {}
    for header, kind in columns.items():
        text = (cells.get(header) or "").strip()
        if kind.startswith("q:"):
            if text:
                q = questions[kind[2:]]
                answers[q.name] = _choice_names(form, q, text) if q.is_select else text
        elif text:
            meta[kind] = text

    def bad(column: str, variant: str, **values: Any) -> None:
        where = place(name, row=number, column=column)
        problems.append(Problem.of("I105", where, variant, **values))

    status = meta.get("status", "complete").lower()
    if status not in ("draft", "complete"):
        bad("status", "status", status=status)
        status = "complete"
    report_uuid = meta.get("uuid")
    if report_uuid:
        text = report_uuid.removeprefix("uuid:")
        try:
            report_uuid = str(uuidlib.UUID(text))
        except ValueError:
            bad("uuid", "uuid", text=text)
            report_uuid = None
        else:
            if report_uuid in seen_uuids:
                bad("uuid", "same_uuid", row=seen_uuids[report_uuid])
            seen_uuids[report_uuid] = number
    station = meta.get("station")
    if station and station not in stations:
        bad("station", "station", station=station)
    if form.station == "required" and not station:
        bad("station", "no_station")
    if form.station == "absent" and station:
        bad("station", "station_absent", form=form.form_id)
    times: dict[str, str | None] = {}
    for key in ("started", "submitted"):
        times[key] = None
        if meta.get(key):
            times[key] = parse_timestamp(meta[key])
            if times[key] is None:
                bad(key, "time", text=meta[key])
    return _Row(
        number,
        report_uuid,
        station,
        meta.get("region"),
        meta.get("observer") or default_observer,
        status,
        times["started"],
        times["submitted"],
        answers,
        {k[2:]: v for k, v in meta.items() if k.startswith("x:")},
    )


def _choice_names(form: Form, question: Question, text: str) -> str:
    """Choice names for ``text``, which may give names or labels (any language, any case)."""
    choices = form.choice_list(question)
    names = {c.name for c in choices}
    by_label: dict[str, str] = {}
    for c in choices:
        for label in c.labels.values():
            by_label.setdefault(label.strip().casefold(), c.name)
    whole = text.strip().casefold()
    if text.strip() not in names and whole in by_label:
        return by_label[whole]
    if question.type == "select_one":
        return text.strip()
    parts = [
        by_label.get(p.strip().casefold(), p.strip()) if p.strip() not in names else p.strip()
        for p in (text.split(";") if ";" in text else text.split())
    ]
    return " ".join(p for p in parts if p)
