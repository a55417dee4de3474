"""The Excel workbook of a form's reports: answers, findings, figures by region, checks, registry.

Sheets, in order: Reports (one row per report; read back by ``pollcheck reports import``), one
sheet per repeat group, Findings (with a bar chart), By region, Coverage, Checks, Stations,
About. Every sheet is streamed (openpyxl's write-only mode), so 30,000 reports stay quick.

The Reports sheet has two header rows: question names on row 1 (what ``reports import``
reads), labels in the chosen language on row 2 (which the import recognises and skips).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from operator import getitem
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from db.checks import CheckReport
from db.errors import InputError
from db.forms import get_form
from db.mission import Mission
from db.tabulate import Filters, Tabulation, Tally, check_language, collection_paused
from exports.aside import Aside
from exports.cells import MAX_CELL, SafeCells, clean_text
from exports.errors import ExportCancelled
from exports.output import atomic_output, temporary_files_beside
from exports.records import (
    Answers,
    Cancelled,
    Findings,
    Progress,
    Record,
    fetch_records,
    parse_time,
)
from exports.words import filters_text, words
from forms.model import Form, Group, Question

VALUES = ("labels", "codes")
# Meta columns of the Reports sheet, as `reports import` names them (see db/reports_import.py).
META = (
    "uuid",
    "revision",
    "station",
    "number",
    "region",
    "district",
    "observer",
    "status",
    "started",
    "submitted",
    "updated",
    "findings",
)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT = "0.0%"
_STAMP = "yyyy-mm-dd hh:mm:ss"
_MAX_WIDTH = 60
_EVERY = 500  # rows between progress reports and checks for a cancel


class _Cells(dict[Any, Any]):
    """The cells of one column of answers: answer -> what the cell holds (None: no answer).

    A row is made by looking its answers up, which stays in C (``map(getitem, ...)``) for
    answers seen before: the cell made for an answer given as text is remembered (choices,
    times and numbers come back report after report). Only text answers are remembered (1,
    1.0 and True are equal keys, but not equal cells), and never a cell object (text that
    looks like a formula has a cell of its own in each row).
    """

    def __init__(self, make: Callable[[Any], Any], *, remember: bool = True) -> None:
        super().__init__({None: None})
        self.make = make
        self.remember = remember

    def cell(self, value: Any) -> Any:
        """The cell for ``value``, whatever it is (a list in a damaged report too)."""
        return None if value is None else self.make(value)

    def __missing__(self, value: Any) -> Any:
        cell = self.make(value)
        if self.remember and value.__class__ is str and not isinstance(cell, Cell):
            self[value] = cell
        return cell


@dataclass(frozen=True)
class _Column:
    """One column of a reports or repeat sheet: its name and label, the question whose answer
    it shows, and the cells made of that answer."""

    name: str
    label: str
    question: str
    cells: _Cells
    width: float = 10


def _row_cells(columns: Sequence[_Column]) -> Callable[[dict[str, Any]], list[Any]]:
    """How the cells of ``columns`` are made of a report's (or a repeat row's) answers."""
    cells = [c.cells for c in columns]
    questions = [c.question for c in columns]

    def make(answers: dict[str, Any]) -> list[Any]:
        try:
            return list(map(getitem, cells, map(answers.get, questions)))
        except TypeError:  # a list or object where an answer should be (a damaged report)
            return [c.cell(answers.get(q)) for c, q in zip(cells, questions, strict=True)]

    return make


def export_xlsx(
    mission: Mission,
    out: Path,
    *,
    form_id: str,
    language: str | None = None,
    values: str = "labels",
    filters: Filters | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """Write the workbook of form ``form_id``'s reports to ``out`` (atomically).

    Args:
        language: the language of labels and of Pollcheck's words (default: the form's).
        values: ``labels`` (choices as labels; several joined by "; ") or ``codes``
            (choice names, as stored).
        filters: which reports count, as in :func:`db.tabulate.tabulate`.
        progress: called with (done, total) now and then.
        cancelled: polled now and then; when it returns True the export stops.

    Raises:
        InputError: no such form or language, or bad ``values``.
        ExportCancelled: ``cancelled`` said so; nothing was written.
        KnownError: ``out`` cannot be written.
    """
    if values not in VALUES:
        raise InputError(f"Values {values!r}: write labels or codes.")
    filters = filters or Filters()
    form = get_form(mission, form_id)
    lang = check_language(form, language)
    w = words(lang)
    # The garbage collector is paused: the export holds every report's answers (millions of
    # values, none in cycles), which each full collection would walk again. openpyxl leaves
    # no cycles behind.
    # The tabulation and the checks are needed in the last sheets only: on a large mission a
    # second process works them out meanwhile (see exports/aside.py).
    with (
        collection_paused(),
        Aside(
            mission,
            form_id=form_id,
            language=lang,
            filters=filters,
            jobs=("tabulation", "checks"),
        ) as pending,
    ):
        records = fetch_records(mission, form_id, filters)
        steps = _Steps(2 * len(records) + 7, progress, cancelled)
        steps.step()
        rules = Findings(form)
        found = [rules.of_report(r.answers) for r in records]
        steps.step()
        answers = Answers(form, lang, values)
        with (
            atomic_output(Path(out)) as tmp,
            temporary_files_beside(tmp),
            _write_only_book() as wb,
        ):
            _reports_sheet(wb, form, lang, answers, records, found, w, steps)
            for repeat in form.repeats():
                _repeat_sheet(wb, form, repeat, lang, answers, records, w, steps)
            tab = pending.tabulation()
            steps.step()
            _findings_sheet(wb, tab, w)
            _by_region_sheet(wb, form, tab, records, w)
            steps.step()
            # The reports' answers were decoded once, for the export: if the checks run here
            # after all, they read them too.
            checks = pending.checks(answers={r.uuid: r.answers for r in records})
            _coverage_sheet(wb, checks, w)
            _checks_sheet(wb, checks, w, lang)
            _stations_sheet(wb, mission, records, found, w)
            _about_sheet(wb, mission, form, records, tab, lang, values, filters, w)
            steps.step()
            wb.save(tmp)
            steps.step()
    return Path(out)


@contextmanager
def _write_only_book() -> Iterator[Workbook]:
    """A write-only workbook whose sheets are closed at once if the block fails (an error, a
    cancel). openpyxl keeps each sheet's file open until the workbook is saved; one that never
    is would keep them open until the garbage collector gets to it, which finishes its sheets
    in no set order (errors then, in whatever runs at that moment), and on Windows the folder
    holding them could not be removed meanwhile."""
    wb = Workbook(write_only=True)
    try:
        yield wb
    except BaseException:
        for ws in wb.worksheets:
            with suppress(Exception):  # a sheet half written, or closed already
                ws.close()
        raise


class _Steps:
    """Progress and cancel checks over the whole export."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None):
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled

    def step(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled("The export was cancelled; no file was written.")
        if self.progress is not None:
            self.progress(self.done, self.total)


# -- the sheets' shared parts --------------------------------------------------------------------


def _sheet(wb: Workbook, title: str) -> WriteOnlyWorksheet:
    ws: WriteOnlyWorksheet = wb.create_sheet(_sheet_title(title, wb.sheetnames))
    return ws


_BAD_TITLE = str.maketrans(dict.fromkeys("/\\[]:*?", "_"))


def _sheet_title(title: str, taken: Sequence[str]) -> str:
    """A valid, unused sheet title: at most 31 characters, none of / \\ [ ] : * ?."""
    base = clean_text(title).translate(_BAD_TITLE).strip("'") or "Sheet"
    base = base[:31]
    lower = {t.casefold() for t in taken}
    candidate, n = base, 2
    while candidate.casefold() in lower:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def _header(ws: WriteOnlyWorksheet, values: Sequence[Any]) -> list[Any]:
    out = []
    for v in values:
        cell = WriteOnlyCell(ws, clean_text(str(v)) if v is not None else None)
        cell.data_type = "s" if v is not None else "n"
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        out.append(cell)
    return out


def _widths(ws: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(6.0, min(_MAX_WIDTH, width))


def _fit(values: Iterable[Any]) -> float:
    """A column width that fits the longest of ``values`` (as text), within limits."""
    longest = 0
    for v in values:
        if v is None:
            continue
        if isinstance(v, dt.datetime):
            n = 19
        elif isinstance(v, dt.date):
            n = 10
        elif isinstance(v, float):
            n = min(12, len(f"{v:.6g}"))
        else:
            text = str(v)
            n = max((len(line) for line in text.splitlines()), default=0) if text else 0
        longest = max(longest, n)
    return longest * 1.1 + 2


def _percent(ws: WriteOnlyWorksheet, value: float | None) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value)
    cell.number_format = _PERCENT
    return cell


def _stamp(ws: WriteOnlyWorksheet, value: dt.datetime | None) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value)
    cell.number_format = _STAMP
    return cell


class _Stamps:
    """Timestamp cells of one sheet, as :func:`_stamp` makes them but quicker: each new cell
    starts from the style of the first one (a copy of its style array), instead of looking its
    number format up in the workbook again. A sheet of reports has two or three in each row."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.style = _stamp(ws, dt.datetime(2000, 1, 1))._style

    def cell(self, value: dt.datetime | None) -> Any:
        if value is None:
            return None
        return Cell(self.ws, row=1, column=1, value=value, style_array=self.style)


def _finish(ws: WriteOnlyWorksheet, columns: int, header_row: int, last_row: int) -> None:
    """Autofilter over the table whose column headers are on ``header_row``."""
    if columns:
        ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"
        ws.auto_filter.ref = ref


# -- Reports and repeats ---------------------------------------------------------------------


def _own_questions(items: Sequence[Question | Group]) -> list[Question]:
    """Questions at one level: inside groups, not inside repeats (they have their own sheet)."""
    out: list[Question] = []
    for item in items:
        if isinstance(item, Question):
            if item.takes_answer:
                out.append(item)
        elif not item.repeat:
            out.extend(_own_questions(item.children))
    return out


def _safe_labels(form: Form, q: Question, language: str) -> dict[str, str]:
    """Choice name -> what the workbook writes for it when values are labels.

    The label, unless ``reports import`` could not read it back as this choice (a label with
    ';', one shared with another choice, or another choice's name): then the name.
    """
    choices = form.choice_list(q)
    names = {c.name for c in choices}
    by_label: dict[str, str] = {}
    for c in choices:
        for label in c.labels.values():
            by_label.setdefault(label.strip().casefold(), c.name)
    out = {}
    for c in choices:
        label = c.label(language).strip()
        usable = (
            label
            and ";" not in label
            and by_label.get(label.casefold()) == c.name
            and (label not in names or label == c.name)
            and not (q.type == "select_multiple" and not label.split())
        )
        out[c.name] = label if usable else c.name
    return out


def _converter(
    ws: WriteOnlyWorksheet, form: Form, q: Question, language: str, codes: bool
) -> Callable[[Any], Any]:
    """How an answer to ``q`` becomes a cell: numbers as numbers, dates as dates, text safe."""
    safe = SafeCells(ws).text
    if q.type == "select_one":
        if codes:
            return lambda v: safe(str(v))
        labels = _safe_labels(form, q, language)
        return lambda v: safe(labels.get(str(v), str(v)))
    if q.type == "select_multiple":
        if codes:
            return lambda v: safe(str(v))
        labels = _safe_labels(form, q, language)
        return lambda v: safe("; ".join(labels.get(c, c) for c in str(v).split()))
    if q.type in ("integer", "decimal", "calculate"):
        return lambda v: _number(v, safe)
    if q.type == "date":
        return lambda v: _date(v, safe)
    if q.type == "datetime":
        return lambda v: _datetime(v, safe)
    return lambda v: safe(v if isinstance(v, str) else str(v))  # text, time: as typed


def _number(value: Any, safe: Callable[[str], Any]) -> Any:
    if isinstance(value, bool):
        return safe(str(value))
    if isinstance(value, int | float):
        return value if math.isfinite(value) else safe(str(value))
    text = str(value)
    try:
        number = float(text)
    except ValueError:
        return safe(text)
    if not math.isfinite(number):
        return safe(text)
    return int(number) if number.is_integer() and "." not in text and "e" not in text else number


def _date(value: Any, safe: Callable[[str], Any]) -> Any:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return safe(str(value))


def _datetime(value: Any, safe: Callable[[str], Any]) -> Any:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return safe(str(value))
    # Excel has no time zones: a time with an offset stays text, so nothing is lost.
    return parsed if parsed.tzinfo is None else safe(str(value))


def _question_columns(
    ws: WriteOnlyWorksheet,
    form: Form,
    questions: Sequence[Question],
    language: str,
    answers: Answers,
) -> list[_Column]:
    columns: list[_Column] = []
    for q in questions:
        convert = _converter(ws, form, q, language, answers.codes)
        # Free text is rarely given twice: not worth remembering.
        cells = _Cells(convert, remember=q.type != "text")
        columns.append(_Column(q.name, q.label(language), q.name, cells, 12))
        if q.type == "select_multiple":
            for choice in form.choice_list(q):

                def chosen(v: Any, c: str = choice.name) -> int:
                    return int(c in str(v).split())

                columns.append(
                    _Column(
                        f"{q.name}/{choice.name}", choice.label(language), q.name, _Cells(chosen), 6
                    )
                )
    return columns


def _meta_name(name: str, taken: set[str]) -> str:
    """``name``, or ``report_<name>`` when a question has that name (import reads both)."""
    return f"report_{name}" if name in taken else name


def _reports_sheet(
    wb: Workbook,
    form: Form,
    language: str,
    answers: Answers,
    records: Sequence[Record],
    found: Sequence[list[str]],
    w: dict[str, str],
    steps: _Steps,
) -> None:
    ws = _sheet(wb, w["sheet.reports"])
    questions = _own_questions(form.children)
    taken = {q.name for q in form.questions()}
    text = _Cells(SafeCells(ws).text)  # station codes, regions, observers: again and again

    def meta(r: Record, i: int) -> list[Any]:
        """The report's own cells, as META names them; times as datetimes."""
        return [
            r.uuid,
            r.revision,
            text[r.station_code],
            text[r.number],
            text[r.region],
            text[r.district],
            text[r.observer],
            r.status,
            parse_time(r.started),
            parse_time(r.submitted),
            parse_time(r.updated),
            len(found[i]),
        ]

    columns = _question_columns(ws, form, questions, language, answers)
    names = [_meta_name(n, taken) for n in META] + [c.name for c in columns]
    labels = [w[n] for n in META] + [c.label for c in columns]
    sample = records[:200]
    widths = [
        max(_fit([n]), _fit([lab])) if i >= len(META) else _fit([lab])
        for i, (n, lab) in enumerate(zip(names, labels, strict=True))
    ]
    sample_meta = [meta(r, k) for k, r in enumerate(sample)]
    for i in range(len(META)):
        widths[i] = max(widths[i], _fit(m[i] for m in sample_meta))
    widths[0] = 37  # a report id
    for j, c in enumerate(columns):
        widths[len(META) + j] = min(
            max(
                _fit([c.name]) * 0.8,
                _fit(_plain(c.cells.cell(r.answers.get(c.question))) for r in sample),
            ),
            40,
        )
    _widths(ws, widths)
    ws.freeze_panes = "D3"
    ws.append(_header(ws, names))
    ws.append(_header(ws, labels))
    stamp_cols = [META.index(n) for n in ("started", "submitted", "updated")]
    stamp = _Stamps(ws).cell
    answer_cells = _row_cells(columns)
    for i, r in enumerate(records):
        row = meta(r, i)
        for k in stamp_cols:
            row[k] = stamp(row[k])
        row += answer_cells(r.answers)
        ws.append(row)
        if i % _EVERY == _EVERY - 1:
            steps.step(_EVERY)
    steps.step(len(records) % _EVERY)
    _finish(ws, len(names), 2, len(records) + 2)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Cell) else value


def _repeat_rows(
    rows: Any, path: tuple[int, ...], chain: Sequence[str]
) -> Iterable[tuple[tuple[int, ...], dict[str, Any]]]:
    """Rows of the repeat at the end of ``chain`` (names of enclosing repeats, outermost first),
    with their numbers through the enclosing repeats (1-based)."""
    if not isinstance(rows, list):
        return
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        if len(chain) == 1:
            yield (*path, i), row
        else:
            yield from _repeat_rows(row.get(chain[1]), (*path, i), chain[1:])


def repeat_chain(form: Form, repeat: Group) -> list[str]:
    """Names of the repeats from the outermost one down to ``repeat``."""
    for item, parents in form.walk():
        if item is repeat:
            return [p.name for p in parents if p.repeat] + [repeat.name]
    return [repeat.name]


def _repeat_sheet(
    wb: Workbook,
    form: Form,
    repeat: Group,
    language: str,
    answers: Answers,
    records: Sequence[Record],
    w: dict[str, str],
    steps: _Steps,
) -> None:
    ws = _sheet(wb, repeat.name)
    questions = _own_questions(repeat.children)
    taken = {q.name for q in form.questions()}
    columns = _question_columns(ws, form, questions, language, answers)
    meta = ["uuid", "row", "station"]
    names = [_meta_name(n, taken) for n in meta] + [c.name for c in columns]
    labels = [w[n] for n in meta] + [c.label for c in columns]
    _widths(ws, [37, 8, 14] + [min(40, max(_fit([c.name]) * 0.8, 12)) for c in columns])
    ws.freeze_panes = "D3"
    ws.append(_header(ws, names))
    ws.append(_header(ws, labels))
    chain = repeat_chain(form, repeat)
    text = SafeCells(ws).text
    answer_cells = _row_cells(columns)
    n = 0
    for i, r in enumerate(records):
        for path, row in _repeat_rows(r.answers.get(chain[0]), (), chain):
            number = ".".join(map(str, path))
            station = None if r.station_code is None else text(r.station_code)
            ws.append([r.uuid, path[0] if len(path) == 1 else number, station, *answer_cells(row)])
            n += 1
        if i % _EVERY == _EVERY - 1:
            steps.step(_EVERY)
    steps.step(len(records) % _EVERY)
    _finish(ws, len(names), 2, n + 2)


# -- Findings ------------------------------------------------------------------------------------


def places(tally: Tally, *, limit: int = MAX_CELL) -> str:
    """The stations behind a figure, by region: ``Almaty: #108, #361; Akmola: #54``."""
    parts = []
    for g in tally.groups:
        if g.station_numbers:
            parts.append(f"{g.group}: " + ", ".join(f"#{n}" for n in g.station_numbers))
    return clean_text("; ".join(parts), limit)


def _findings_sheet(wb: Workbook, tab: Tabulation, w: dict[str, str]) -> None:
    ws = _sheet(wb, w["sheet.findings"])
    findings = tab.findings()
    sampled = tab.sample is not None
    head = ["question", "label", "section", "rule", "stations", "reports", "answered", "share"]
    if sampled:
        head += ["ci_low", "ci_high", "estimate"]
    head.append("by_region")
    rows = []
    for q in findings:
        f = q.finding
        assert f is not None
        row: list[Any] = [
            q.name,
            q.label,
            q.section,
            q.finding_rule,
            f.stations,
            f.reports,
            q.answered,
            _percent(ws, f.percent / 100),
        ]
        if sampled:
            row += [
                _percent(ws, f.ci95[0] / 100) if f.ci95 else None,
                _percent(ws, f.ci95[1] / 100) if f.ci95 else None,
                _percent(ws, f.estimate / 100) if f.estimate is not None else None,
            ]
        row.append(places(f))
        rows.append(SafeCells(ws).row(row))
    widths = [_fit([w[h]] + [_plain(r[i]) for r in rows]) for i, h in enumerate(head)]
    widths[-1] = _MAX_WIDTH
    _widths(ws, widths)
    ws.freeze_panes = "C2"
    ws.append(_header(ws, [w[h] for h in head]))
    for row in rows:
        row[-1] = _wrapped(ws, row[-1])
        ws.append(row)
    _finish(ws, len(head), 1, len(rows) + 1)
    if findings:
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: long labels stay readable
        chart.style = 10
        chart.title = w["chart.findings"]
        chart.y_axis.title = w["stations"]
        chart.legend = None
        data = Reference(ws, min_col=5, min_row=1, max_row=len(rows) + 1)
        cats = Reference(ws, min_col=2, min_row=2, max_row=len(rows) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.x_axis.scaling.orientation = "maxMin"  # the most frequent finding on top
        chart.width = 24
        chart.height = max(7.5, 0.6 * len(rows) + 3)
        ws.add_chart(chart, f"A{len(rows) + 3}")


def _wrapped(ws: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, Cell):
        value.alignment = _WRAP
        return value
    cell = WriteOnlyCell(ws, value)
    cell.alignment = _WRAP
    return cell


# -- By region -----------------------------------------------------------------------------------


def _by_region_sheet(
    wb: Workbook,
    form: Form,
    tab: Tabulation,
    records: Sequence[Record],
    w: dict[str, str],
) -> None:
    """Per question and answer: reports and share overall and in each region."""
    ws = _sheet(wb, w["sheet.by_region"])
    regions = sorted(
        {g.group for q in tab.questions for a in q.answers for g in a.tally.groups}
        | {g.group for q in tab.questions if q.finding for g in q.finding.groups}
    )
    # The share in a region is over the reports answering there.
    counts = _RegionCounts(form, records)
    head1: list[Any] = ["", "", "", "", w["all"], None]
    head2: list[Any] = [w["question"], w["label"], w["answer"], w["answer_label"]]
    head2 += [w["reports"], w["share"]]
    for region in regions:
        head1 += [region, None]
        head2 += [w["reports"], w["share"]]
    rows: list[list[Any]] = []
    safe = SafeCells(ws)
    for q in tab.questions:
        if not q.answers or not q.answered:
            continue
        answered = {region: counts.answered[q.name, region] for region in regions}
        head: list[Any] = [q.name, q.label, "", w["(answered)"], q.answered, None]
        for region in regions:
            head += [answered[region], None]
        rows.append(safe.row(head))
        choices = {c.name for c in form.choice_list(form.question(q.name))}
        for a in q.answers:
            row: list[Any] = [q.name, q.label, a.value, a.label, a.tally.reports]
            row.append(_percent(ws, a.tally.percent / 100))
            for region in regions:
                reports = counts.chosen[q.name, region, a.value]
                row.append(reports)
                # As a tabulation of the region lists it: every choice, other answers if given.
                listed = a.value in choices or reports
                share = round(100 * reports / answered[region], 2) if answered[region] else None
                row.append(_percent(ws, share / 100) if listed and share is not None else None)
            rows.append(safe.row(row))
    widths = [18, 40, 14, 28, 9, 8] + [max(9.0, _fit([r]) / 2) for r in regions for _ in (0, 1)]
    _widths(ws, widths)
    ws.freeze_panes = "E3"
    ws.append(_header(ws, head1))
    ws.append(_header(ws, head2))
    for row in rows:
        ws.append(row)
    _finish(ws, len(head2), 2, len(rows) + 2)


class _RegionCounts:
    """For each select question and region: the reports answering it, and giving each answer.

    Counted from the export's reports as :func:`db.tabulate.tabulate` counts the reports of one
    region (its ``region`` filter: the station's region, else the report's own), in one pass
    instead of one tabulation per region; tests/exports/test_xlsx.py compares the two.
    """

    def __init__(self, form: Form, records: Sequence[Record]) -> None:
        self.answered: Counter[tuple[str, str | None]] = Counter()  # (question, region)
        self.chosen: Counter[tuple[str, str | None, str]] = Counter()  # (question, region, answer)
        selects = [q.name for q in form.questions() if q.is_select and q.takes_answer]
        multiple = {q.name for q in form.questions() if q.type == "select_multiple"}
        # Each repeat (nested ones too) with the select questions anywhere inside it.
        inside: dict[str, list[str]] = {r.name: [] for r in form.repeats()}
        is_select = set(selects)
        for item, parents in form.walk():
            if item.name in is_select:
                for p in parents:
                    if p.repeat:
                        inside[p.name].append(item.name)
        inside = {name: asked for name, asked in inside.items() if asked}
        in_repeats = {name for asked in inside.values() for name in asked}
        # Per region, (question, answer as stored) -> reports. As in tabulation, answers equal
        # in Python (1 and 1.0, in a damaged file) count as one, then as text.
        given: dict[str | None, Counter[tuple[str, Any]]] = defaultdict(Counter)
        absent = [_ABSENT] * len(selects)
        for r in records:
            region = r.region if r.station_region is None else r.station_region
            answers = r.answers
            # A report at a time, in C: its answers are read while in the processor's cache.
            values = tuple(map(answers.get, selects, absent))
            try:
                hash(values)
            except TypeError:  # a list or object where an answer should be: not counted
                values = tuple(_ABSENT if isinstance(v, list | dict) else v for v in values)
            counted = given[region]
            counted.update(zip(selects, values, strict=True))
            for group, asked in inside.items():
                rows = answers.get(group)
                if isinstance(rows, list):
                    for name, in_rows in _repeat_answers(asked, multiple, rows).items():
                        self.answered[name, region] += 1
                        counted.update((name, v) for v in in_rows)
        for region, counted in given.items():
            for (name, value), n in counted.items():
                if value is _ABSENT:
                    continue
                # A question inside a repeat is answered in its rows (counted above); an answer
                # to it at the top of a report (a damaged one) is counted as given all the same.
                if name not in in_repeats:
                    self.answered[name, region] += n
                for answer in str(value).split() if name in multiple else [str(value)]:
                    self.chosen[name, region, answer] += n


def _repeat_answers(names: list[str], multiple: set[str], rows: list[Any]) -> dict[str, set[Any]]:
    """The answers given to questions ``names`` in one report's rows of a repeat, each once
    whatever the number of rows (each choice apart for a select_multiple)."""
    given: dict[str, set[Any]] = defaultdict(set)
    for row in rows:
        if not isinstance(row, dict):
            continue
        for name in names:
            value = row.get(name)
            if value is None or isinstance(value, list):
                continue
            if name in multiple:
                given[name].update(str(value).split())
            else:
                given[name].add(value)
    return given


_ABSENT = object()


# -- Coverage, Checks, Stations, About ---------------------------------------------------------


def _coverage_sheet(wb: Workbook, checks: CheckReport, w: dict[str, str]) -> None:
    ws = _sheet(wb, w["sheet.coverage"])
    head = ["region", "stations", "visited", "visited_share", "reports", "drafts", "not_visited"]
    safe = SafeCells(ws)
    rows = []
    for c in checks.coverage:
        share = c.visited / c.stations if c.stations else None
        not_visited = ", ".join(c.not_visited)
        row = [c.region, c.stations, c.visited, _percent(ws, share), c.reports, c.drafts]
        row.append(not_visited)
        rows.append(safe.row(row))
    _widths(ws, [max(12, _fit(_plain(r[0]) for r in rows)), 10, 10, 12, 10, 10, _MAX_WIDTH])
    ws.freeze_panes = "B2"
    ws.append(_header(ws, [w[h] for h in head]))
    for row in rows:
        row[-1] = _wrapped(ws, row[-1])
        ws.append(row)
    _finish(ws, len(head), 1, len(rows) + 1)


def _checks_sheet(wb: Workbook, checks: CheckReport, w: dict[str, str], language: str) -> None:
    ws = _sheet(wb, w["sheet.checks"])
    head = ["check", "station", "region", "report_ids", "detail"]
    _widths(ws, [50, 14, 18, 40, 80])
    ws.freeze_panes = "B2"
    ws.append(_header(ws, [w[h] for h in head]))
    safe = SafeCells(ws)
    n = 0
    for check in checks.checks:
        title = check.title_in(language)
        for f in check.findings:
            ws.append(
                safe.row(
                    [title, f.station_code, f.region, " ".join(f.report_ids), f.detail_in(language)]
                )
            )
            n += 1
    _finish(ws, len(head), 1, n + 1)


def _stations_sheet(
    wb: Workbook,
    mission: Mission,
    records: Sequence[Record],
    found: Sequence[list[str]],
    w: dict[str, str],
) -> None:
    from db.stations import list_stations

    ws = _sheet(wb, w["sheet.stations"])
    stations = list_stations(mission)
    reports: Counter[str] = Counter()
    with_findings: Counter[str] = Counter()
    distinct: dict[str, set[str]] = defaultdict(set)
    for r, f in zip(records, found, strict=True):
        if r.station_code is None:
            continue
        reports[r.station_code] += 1
        if f:
            with_findings[r.station_code] += 1
            distinct[r.station_code].update(f)
    extra = sorted({k for s in stations for k in s.attributes})
    head = ["station", "number", "region", "district", "name", "address", "registered_voters"]
    head += ["reports", "reports_with_findings", "findings"]
    safe = SafeCells(ws)
    rows = []
    for s in stations:
        row: list[Any] = [
            s.code,
            s.number,
            s.region,
            s.district,
            s.name,
            s.address,
            s.registered_voters,
            reports.get(s.code, 0),
            with_findings.get(s.code, 0),
            len(distinct.get(s.code, ())),
        ]
        row += [_attribute(s.attributes.get(k)) for k in extra]
        rows.append(safe.row(row))
    labels = [w[h] for h in head] + extra
    sample = rows[:500]
    _widths(ws, [_fit([lab] + [_plain(r[i]) for r in sample]) for i, lab in enumerate(labels)])
    ws.freeze_panes = "B2"
    ws.append(_header(ws, labels))
    for row in rows:
        ws.append(row)
    _finish(ws, len(labels), 1, len(rows) + 1)


def _attribute(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pollcheck")
    except PackageNotFoundError:
        return "unknown"


def _about_sheet(
    wb: Workbook,
    mission: Mission,
    form: Form,
    records: Sequence[Record],
    tab: Tabulation,
    language: str,
    values: str,
    filters: Filters,
    w: dict[str, str],
) -> None:
    ws = _sheet(wb, w["sheet.about"])
    info = mission.info()
    versions = sorted({r.form_version for r in records})
    exported = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    items: list[tuple[str, Any]] = [
        ("about.mission", info.title),
        ("about.mission_id", info.mission_id),
        ("about.country", info.country),
        ("about.election_date", _date(info.election_date, str) if info.election_date else None),
        ("about.form", form.form_id),
        ("about.form_title", form.title_in(language)),
        ("about.form_version", form.version),
        ("about.versions", ", ".join(versions)),
        ("about.language", language),
        ("about.values", values),
        ("about.filters", filters_text(filters, w)),
        ("about.reports", tab.reports),
        ("about.stations", tab.stations),
        ("about.sample", tab.sample or w["about.no_sample"]),
        ("about.exported", _stamp(ws, exported)),
        ("about.pollcheck", _version()),
        ("about.file", Path(mission.path).name),
        ("about.checks", w["about.coverage_note"]),
    ]
    if info.synthetic:
        items.append(("about.synthetic", w["yes"]))
    _widths(ws, [30, 70])
    ws.append(_header(ws, [w["item"], w["value"]]))
    safe = SafeCells(ws)
    for key, value in items:
        label = w.get(key, "")
        ws.append(safe.row([label, value]))
