"""The reports an export covers, with their stations, findings and answers as people read them.

Both exporters read reports through here, so a workbook and a PDF made with the same filters
cover the same reports as :func:`db.tabulate.tabulate` does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from db.errors import InputError
from db.mission import Mission
from db.tabulate import Filters, collection_paused, filter_sql, natural_key
from forms.expressions import Expression
from forms.model import Form, Question

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Record:
    """One report with its station's registry entry (``None`` where there is none)."""

    uuid: str
    revision: int
    form_version: str
    station_code: str | None
    number: str | None
    region: str | None  # the report's own region, else its station's (as the form views show)
    station_region: str | None  # its station's region in the registry
    district: str | None
    station_name: str | None
    address: str | None
    observer: str | None
    status: str
    started: str | None
    submitted: str | None
    updated: str
    answers: dict[str, Any]


def fetch_records(
    mission: Mission,
    form_id: str,
    filters: Filters,
    *,
    stations: Sequence[str] = (),
) -> list[Record]:
    """The reports of form ``form_id`` that ``filters`` let through (of ``stations`` only, when
    given), by region, station number as people count, start time and id.

    Raises:
        InputError: a station in ``stations`` is not in the registry and has no report.
    """
    where, params = filter_sql(filters)
    where.insert(0, "r.form_id = ?")
    params.insert(0, form_id)
    if stations:
        where.append(f"r.station_code IN ({', '.join('?' for _ in stations)})")
        params.extend(stations)
    rows = mission.conn.execute(
        "SELECT r.uuid, r.revision, r.form_version, r.station_code, s.number,"
        " coalesce(r.region, s.region), s.region, s.district, s.name, s.address, r.observer,"
        " r.status, r.started, r.submitted, r.updated, r.answers"
        " FROM reports r LEFT JOIN stations s ON s.code = r.station_code"
        f" WHERE {' AND '.join(where)}",
        params,
    ).fetchall()
    if stations:
        found = {r[3] for r in rows}
        known = {
            c
            for (c,) in mission.conn.execute(
                f"SELECT code FROM stations WHERE code IN ({', '.join('?' for _ in stations)})",
                list(stations),
            )
        }
        unknown = [c for c in stations if c not in found and c not in known]
        if unknown:
            raise InputError(
                f"No station {', '.join(map(repr, unknown))} in the mission's registry or its "
                "reports. Check the codes ('pollcheck stations list')."
            )
    loads = json.loads
    with collection_paused():  # tens of thousands of answers decoded, none in cycles
        records = [Record(*row[:15], answers=loads(row[15])) for row in rows]
    keys: dict[str, tuple[Any, ...]] = {}  # a station's number as people count, once a station

    def number_key(number: str) -> tuple[Any, ...]:
        key = keys.get(number)
        if key is None:
            key = keys[number] = natural_key(number)
        return key

    records.sort(
        key=lambda r: (
            r.region is None,
            r.region or "",
            number_key(r.number or r.station_code or ""),
            r.station_code or "",
            r.started or "",
            r.uuid,
        )
    )
    return records


class _Rule(NamedTuple):
    """A question's finding rule, with what it has decided so far."""

    name: str
    rule: Expression
    refs: tuple[str, ...]  # the other answers it reads, sorted
    decided: dict[Any, bool]  # by the answer, or by (answer, *the answers it reads)


class Findings:
    """Decides which answers of a report are findings (the form's ``finding`` column).

    Rules are evaluated once per distinct answer and the answers they refer to, as in
    :mod:`db.tabulate`, so that tens of thousands of reports are quick.
    """

    def __init__(self, form: Form) -> None:
        self.form = form
        self.rules = {
            q.name: _Rule(q.name, q.finding, tuple(sorted(q.finding.references())), {})
            for q in form.questions()
            if q.finding is not None
        }
        # Outermost repeats, each with the finding questions inside it (nested repeats too).
        self.repeats = {
            r.name: [q for q in _questions_in(r) if q.name in self.rules]
            for r in form.repeats()
            if form.repeat_of(r.name) is None
        }
        in_repeat = {q.name for qs in self.repeats.values() for q in qs}
        self.top = [rule for name, rule in self.rules.items() if name not in in_repeat]

    def holds(self, q: Question, value: Any, lookup: Callable[[str], Any]) -> bool:
        """Whether ``value``, the answer to ``q``, is a finding (``lookup`` gives the others)."""
        rule = self.rules.get(q.name)
        if rule is None or value is None:
            return False
        return self._decide(rule, value, lookup)

    @staticmethod
    def _decide(rule: _Rule, value: Any, lookup: Callable[[str], Any]) -> bool:
        try:
            key = (value, *map(lookup, rule.refs)) if rule.refs else value
            hit = rule.decided.get(key)
        except TypeError:  # a list or object among the answers (a damaged report): its JSON
            key = (_hashable(value), *[_hashable(lookup(r)) for r in rule.refs])
            hit = rule.decided.get(key)
        if hit is None:
            try:
                hit = bool(rule.rule.evaluate_bool(lookup, value))
            except Exception:  # a rule that cannot be decided on these answers is no finding
                hit = False
            rule.decided[key] = hit
        return hit

    def of_report(self, answers: dict[str, Any]) -> list[str]:
        """Names of the questions whose finding holds in the report, in form order."""
        found: list[str] = []
        get = answers.get
        decide = self._decide
        for rule in self.top:
            value = get(rule.name)
            if value is not None and decide(rule, value, get):
                found.append(rule.name)
        for repeat, questions in self.repeats.items():
            rows = answers.get(repeat)
            if not isinstance(rows, list) or not questions:
                continue
            hit: set[str] = set()
            for row in _rows(rows):

                def lookup(ref: str, row: dict[str, Any] = row) -> Any:
                    return row.get(ref, get(ref))

                for q in questions:
                    value = row.get(q.name)
                    if value is not None and self.holds(q, value, lookup):
                        hit.add(q.name)
            found.extend(q.name for q in questions if q.name in hit)
        return found


def _rows(rows: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """Rows of a repeat, nested repeats' rows included (a finding anywhere counts)."""
    for row in rows:
        if isinstance(row, dict):
            yield row
            for value in row.values():
                if isinstance(value, list):
                    yield from _rows(value)


def _hashable(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return value


def _questions_in(group: Any) -> list[Question]:
    out: list[Question] = []
    for item in group.children:
        if isinstance(item, Question):
            out.append(item)
        else:
            out.extend(_questions_in(item))
    return out


class Answers:
    """Answers as a reader sees them: choice labels in one language (or choice names)."""

    def __init__(self, form: Form, language: str, values: str = "labels") -> None:
        if values not in ("labels", "codes"):
            raise InputError(f"Values {values!r}: write labels or codes.")
        self.form = form
        self.language = language
        self.codes = values == "codes"
        self.labels: dict[str, dict[str, str]] = {}
        for q in form.questions():
            if q.is_select:
                self.labels[q.name] = {c.name: c.label(language) for c in form.choice_list(q)}

    def choices(self, q: Question, value: Any) -> list[str]:
        """The choices in an answer to a select question (names), as stored."""
        text = str(value)
        return text.split() if q.type == "select_multiple" else [text.strip()]

    def text(self, q: Question, value: Any) -> str:
        """The answer as text: choice labels joined by '; ', numbers and dates as stored."""
        if value is None:
            return ""
        if q.is_select:
            if self.codes:
                return str(value)
            labels = self.labels[q.name]
            return "; ".join(labels.get(c, c) for c in self.choices(q, value))
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)


def parse_time(text: str | None) -> dt.datetime | None:
    """A stored timestamp (``2026-12-06T10:00:00Z``, UTC) as a naive datetime, for a cell."""
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed
