"""Tabulation: the figures and station lists a mission publishes, counted from the mission file.

Reports and stations are counted apart everywhere: two visits to one station are two reports
and one station. A question that was not relevant has no stored answer, so it is not answered.
``percent`` is reports with that answer (or finding) over reports answering the question.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import gc
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.errors import InputError
from db.forms import get_form
from db.mission import Mission
from db.sample import Frame, sample_frame, stratified, wilson
from forms.expressions import Expression
from forms.model import Form, Group, Question

NO_GROUP = "—"
_NUMERIC = ("integer", "decimal")


@dataclass(frozen=True)
class Filters:
    """Which reports count. Drafts and deleted reports are left out unless asked for."""

    region: str | None = None
    district: str | None = None
    observer: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_drafts: bool = False


@dataclass(frozen=True)
class GroupTally:
    """Reports and stations of one region (or district) behind a figure."""

    group: str
    reports: int
    stations: int
    station_codes: tuple[str, ...]
    station_numbers: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """A figure: reports and stations with an answer (or a finding), and where they are."""

    reports: int
    stations: int
    percent: float
    ci95: tuple[float, float] | None
    groups: tuple[GroupTally, ...]
    estimate: float | None = None  # stratified samples: the weighted estimate
    se: float | None = None

    @property
    def station_codes(self) -> tuple[str, ...]:
        return tuple(c for g in self.groups for c in g.station_codes)


@dataclass(frozen=True)
class AnswerTally:
    value: str
    label: str
    tally: Tally


@dataclass(frozen=True)
class Stats:
    n: int
    sum: float
    mean: float
    median: float
    min: float
    max: float


@dataclass(frozen=True)
class QuestionTally:
    name: str
    label: str
    type: str
    section: str
    answered: int  # reports answering
    answers: tuple[AnswerTally, ...]
    finding: Tally | None
    finding_rule: str | None
    stats: Stats | None
    answered_stations: int = 0  # distinct stations answering


@dataclass(frozen=True)
class Tabulation:
    form_id: str
    form_version: str
    title: str
    by: str
    language: str
    reports: int
    stations: int
    questions: tuple[QuestionTally, ...]
    filters: Filters
    sample: str | None = None
    _mission: Any = field(default=None, repr=False, compare=False)

    def behind(
        self, question: str, value: str | None = None, *, group: str | None = None
    ) -> list[tuple[str, str | None]]:
        """The reports (uuid, station code) behind a figure: those that gave ``value`` to
        ``question`` or, with ``value=None``, those where its finding holds; in ``group`` only
        when given. The program lists them when a figure is clicked."""
        mission: Mission = self._mission
        form = get_form(mission, self.form_id)
        q = form.question(question)
        repeat = form.repeat_of(question)
        out: list[tuple[str, str | None]] = []
        for uuid, code, _number, region, district, text in _fetch(
            mission, self.form_id, self.filters
        ):
            if group is not None and _group_of(self.by, region, district) != group:
                continue
            answers = json.loads(text)
            rows = answers.get(repeat.name) if repeat is not None else [answers]
            for row in rows if isinstance(rows, list) else []:
                v = row.get(q.name) if isinstance(row, dict) else None
                if v is None:
                    continue
                if value is None:

                    def lookup(
                        ref: str, row: dict[str, Any] = row, report: dict[str, Any] = answers
                    ) -> Any:
                        return row.get(ref, report.get(ref))

                    hit = q.finding is not None and q.finding.evaluate_bool(lookup, v)
                elif q.type == "select_multiple":
                    hit = value in str(v).split()
                else:
                    hit = str(v) == value
                if hit:
                    out.append((uuid, code))
                    break
        return sorted(out, key=lambda r: (natural_key(r[1] or ""), r[0]))

    def findings(self) -> list[QuestionTally]:
        """Questions whose finding holds somewhere, most stations first."""
        found = [q for q in self.questions if q.finding is not None and q.finding.reports]
        return sorted(found, key=lambda q: (-q.finding.stations, -q.finding.reports, q.name))  # type: ignore[union-attr]


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key that puts ALM-9 before ALM-10 and #186 before #186A."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text))


def _group_of(by: str, region: str | None, district: str | None) -> str:
    region = region or NO_GROUP
    return region if by == "region" else f"{region} / {district or NO_GROUP}"


def filter_sql(filters: Filters) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters for ``filters`` (``r`` is the reports table, ``s`` the
    stations table); deleted reports never count. Every export filters the same way."""
    where = ["r.deleted = 0"]
    params: list[Any] = []
    if not filters.include_drafts:
        where.append("r.status = 'complete'")
    if filters.region:
        where.append("coalesce(s.region, r.region) = ?")
        params.append(filters.region)
    if filters.district:
        where.append("s.district = ?")
        params.append(filters.district)
    if filters.observer:
        where.append("r.observer = ?")
        params.append(filters.observer)
    # The day of the visit: when it started (as the observer's device recorded it).
    day = "substr(coalesce(r.started, r.created), 1, 10)"
    if filters.date_from:
        where.append(f"{day} >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        where.append(f"{day} <= ?")
        params.append(filters.date_to.isoformat())
    return where, params


def check_language(form: Form, language: str | None) -> str:
    """The language to use: ``language`` if the form has it, else the form's default.

    Raises:
        InputError: the form has no such language.
    """
    if language and language not in form.language_codes():
        known = ", ".join(form.language_codes())
        raise InputError(f"Form {form.form_id!r} has no language {language!r}; it has: {known}.")
    return language or form.default_language


def _fetch(mission: Mission, form_id: str, filters: Filters) -> Iterable[tuple[Any, ...]]:
    where, params = filter_sql(filters)
    where.insert(0, "r.form_id = ?")
    params.insert(0, form_id)
    return mission.conn.execute(
        "SELECT r.uuid, r.station_code, s.number, coalesce(s.region, r.region), s.district,"
        " r.answers FROM reports r LEFT JOIN stations s ON s.code = r.station_code"
        f" WHERE {' AND '.join(where)}",
        params,
    )


def _fetch_answers(
    mission: Mission, form_id: str, filters: Filters
) -> Iterable[tuple[str | None, str | None, str]]:
    """(station code, the report's own region, answers) of the reports that count.

    The registry is joined in Python (_Pass._unit), once per station: joined here, it made this
    query about 1.7 times slower. Filters by region or district still need it here.
    """
    where, params = filter_sql(filters)
    where.insert(0, "r.form_id = ?")
    params.insert(0, form_id)
    join = " LEFT JOIN stations s ON s.code = r.station_code"
    return mission.conn.execute(
        "SELECT r.station_code, r.region, r.answers FROM reports r"
        f"{join if filters.region or filters.district else ''} WHERE {' AND '.join(where)}",
        params,
    )


def _stations(mission: Mission) -> dict[str, tuple[str, str | None, str | None]]:
    """The registry: station code -> number, region, district."""
    return {
        code: (number, region, district)
        for code, number, region, district in mission.conn.execute(
            "SELECT code, number, region, district FROM stations"
        )
    }


def _sections(form: Form, language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item, parents in form.walk():
        if isinstance(item, Question):
            out[item.name] = " / ".join(p.label(language) for p in parents)
    return out


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while answers are decoded and counted.

    Decoding tens of thousands of reports makes millions of small objects, none of them in
    cycles; the collector would walk them again and again for nothing (~10% of the pass).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Units:
    """Where reports come from: a station, or (for forms without one) a region.

    Counting works on small integers: each report adds its unit's number to the lists of the
    answers it gave; counts per unit then come from one ``Counter`` in C. Units are numbered as
    the pass meets them; ``rank()`` then gives each its place in the order figures list them, so
    that a figure's stations come out of one sort of integers, each group's stations a run.
    """

    def __init__(self) -> None:
        self.ids: dict[tuple[str | None, str], int] = {}
        self.codes: list[str | None] = []
        self.numbers: list[str] = []
        self.groups: list[str] = []
        self.strata: list[str] = []
        # Set by rank(): each unit's place; station codes and numbers by place; each group's
        # run of places as (group, end of the places of units with a code, end); the run of
        # each place.
        self.place: list[int] = []
        self.placed_codes: list[str | None] = []
        self.placed_numbers: list[str] = []
        self.runs: list[tuple[str, int, int]] = []
        self.run_at: list[int] = []

    def unit(self, code: str | None, number: str | None, group: str, stratum: str) -> int:
        key = (code, group if code is None else "")
        found = self.ids.get(key)
        if found is not None:
            return found
        uid = self.ids[key] = len(self.codes)
        self.codes.append(code)
        self.numbers.append(number or code or "")
        self.groups.append(group)
        self.strata.append(stratum)
        return uid

    def rank(self) -> None:
        """Place the units in the order figures list them: by group (no group last), then by
        station code in natural order, units without a code last in their group."""
        codes, groups = self.codes, self.groups
        ordered = sorted(set(groups), key=lambda g: (g == NO_GROUP, g))
        group_place = {g: i for i, g in enumerate(ordered)}
        order = sorted(
            range(len(codes)),
            key=lambda u: (group_place[groups[u]], codes[u] is None, natural_key(codes[u] or "")),
        )
        self.place = [0] * len(order)
        for place, u in enumerate(order):
            self.place[u] = place
        self.placed_codes = [codes[u] for u in order]
        self.placed_numbers = [self.numbers[u] for u in order]
        self.runs, self.run_at = [], []
        for group, run in itertools.groupby(range(len(order)), key=lambda p: groups[order[p]]):
            places = list(run)
            coded = sum(1 for p in places if self.placed_codes[p] is not None)
            self.run_at += [len(self.runs)] * len(places)
            self.runs.append((group, places[0] + coded, places[-1] + 1))


class _Refers(Exception):
    """A finding's rule asked for another answer."""


_REFERS = "refers"  # the verdict depends on the other answers


def _verdict_alone(rule: Expression, value: Any) -> bool | str:
    """Whether ``rule`` holds for ``value`` whatever the other answers are, or _REFERS when that
    depends on them (the rule asked for one)."""
    asked = False

    def lookup(_name: str) -> Any:
        nonlocal asked
        asked = True  # should the rule ever catch the exception, its verdict is still not used
        raise _Refers

    try:
        verdict = rule.evaluate_bool(lookup, value)
    except _Refers:
        return _REFERS
    return _REFERS if asked else verdict


class _Pass:
    """One pass over the reports: for every question, the units behind each answer."""

    def __init__(
        self,
        form: Form,
        fetched: Iterable[tuple[str | None, str | None, str]],
        stations: dict[str, tuple[str, str | None, str | None]],
        by: str,
    ) -> None:
        """Count the ``fetched`` reports: (station code, the report's own region, answers);
        ``stations`` is the registry (code -> number, region, district)."""
        self.units = _Units()
        self.reports = 0
        # question -> answer -> unit ids, one per report that gave it. (Two lookups by a string
        # are quicker than one by a (question, answer) tuple: no tuple to hash and compare.)
        self.answers: dict[str, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(list))
        # findings whose rule uses other answers: decided per report
        self.ref_findings = {
            q.name: q
            for q in form.questions()
            if q.finding is not None and q.finding.references() and form.repeat_of(q.name) is None
        }
        self.found: dict[str, list[int]] = defaultdict(list)
        repeats = {
            r.name: [q for q in _questions(r.children) if q.takes_answer] for r in form.repeats()
        }
        self.repeated = {q.name for qs in repeats.values() for q in qs}
        # questions inside repeats: once per report, whatever the number of rows
        self.rep_answered: dict[str, list[int]] = defaultdict(list)
        self.rep_values: dict[str, list[Any]] = defaultdict(list)
        # name -> (rule, the names it refers to, verdicts by answer and answers referred to,
        # verdicts by answer alone)
        ref_rules: dict[str, tuple[Expression, list[str], dict[Any, bool], dict[Any, Any]]] = {}
        for name, q in self.ref_findings.items():
            assert q.finding is not None
            ref_rules[name] = (q.finding, sorted(q.finding.references()), {}, {})
        # raw_decode: json.loads without its two wrapper calls (the text is Pollcheck's own JSON)
        decode = json.JSONDecoder().raw_decode
        repeat_names = tuple(repeats)
        answers_acc = self.answers
        with collection_paused():
            known: dict[tuple[str | None, str | None], int] = {}
            for code, own_region, text in fetched:
                self.reports += 1
                u = known.get((code, own_region))
                if u is None:
                    u = known[code, own_region] = self._unit(code, own_region, stations, by)
                try:
                    answers = decode(text)[0]
                except ValueError:  # valid JSON that raw_decode does not take (leading space)
                    answers = json.loads(text)
                for name in repeat_names:  # repeats first: their rows are lists, not answers
                    rows = answers.pop(name, None)
                    if rows is not None:
                        self._repeat(repeats[name], rows, answers, u)
                try:
                    for name, value in answers.items():
                        answers_acc[name][value].append(u)
                except TypeError:  # a list or object where an answer should be (a damaged row)
                    self._careful(answers, u, answers_acc)
                for name, (rule, refs, decided, alone) in ref_rules.items():
                    value = answers.get(name)
                    if value is None:
                        continue
                    # Decided once per distinct answer when the answers it refers to do not
                    # matter (``. >= 20 and …`` with 9), else once per distinct answer and
                    # answers it refers to.
                    try:
                        hit = alone.get(value)
                    except TypeError:  # a damaged row: a list where an answer should be
                        continue
                    if hit is None:
                        hit = alone[value] = _verdict_alone(rule, value)
                    if hit is False:
                        continue
                    key = (value, *[answers.get(r) for r in refs])
                    try:
                        found = decided.get(key)
                    except TypeError:  # a damaged answer referred to: the finding is not decided
                        continue
                    if found is None:
                        found = hit is True or rule.evaluate_bool(answers.get, value)
                        decided[key] = found
                    if found:
                        self.found[name].append(u)
        self.units.rank()
        self.without_code = frozenset(u for u, c in enumerate(self.units.codes) if c is None)

    def _unit(
        self,
        code: str | None,
        own_region: str | None,
        stations: dict[str, tuple[str, str | None, str | None]],
        by: str,
    ) -> int:
        # As LEFT JOIN stations: a registered station's region, else the report's own.
        number, region, district = stations.get(code, (None, None, None))  # type: ignore[arg-type]
        if region is None:
            region = own_region
        return self.units.unit(code, number, _group_of(by, region, district), region or NO_GROUP)

    @staticmethod
    def _careful(answers: dict[str, Any], u: int, acc: dict[str, dict[Any, list[int]]]) -> None:
        """Count a report again, item by item, skipping what is not an answer.

        The fast loop stopped at the first unhashable value; the items before it were counted,
        so they are taken back out before counting the row properly.
        """
        for name, value in answers.items():
            try:
                units = acc[name].get(value)
            except TypeError:
                break
            if units and units[-1] == u:
                units.pop()
        for name, value in answers.items():
            if value.__class__ is not list and value.__class__ is not dict:
                acc[name][value].append(u)

    def _repeat(
        self, questions: list[Question], rows: list[Any], report: dict[str, Any], u: int
    ) -> None:
        given: set[tuple[str, Any]] = set()
        answered: set[str] = set()
        found: set[str] = set()
        for row in rows:
            if not isinstance(row, dict):
                continue

            def lookup(ref: str, row: dict[str, Any] = row) -> Any:
                return row.get(ref, report.get(ref))

            for q in questions:
                value = row.get(q.name)
                if value is None or isinstance(value, list):
                    continue
                answered.add(q.name)
                if q.type == "select_multiple":  # each choice once per report, whatever the rows
                    given.update((q.name, c) for c in str(value).split())
                else:
                    given.add((q.name, value))
                self.rep_values[q.name].append(value)
                if q.finding is not None and q.finding.evaluate_bool(lookup, value):
                    found.add(q.name)
        for name in answered:
            self.rep_answered[name].append(u)
        for name, value in given:
            self.answers[name][value].append(u)
        for name in found:
            self.found[name].append(u)

    def answered(self, q: Question) -> list[list[int]]:
        """Units of the reports answering ``q``, as lists to be taken together."""
        if q.name in self.repeated:
            return [self.rep_answered.get(q.name, [])]
        return [units for _v, units in self.answers.get(q.name, {}).items()]

    def choice_units(self, q: Question) -> dict[str, list[int]]:
        """Choice name -> units of the reports that chose it (the list of the answer itself,
        not a copy, when the choice is one answer)."""
        parts: dict[str, list[list[int]]] = defaultdict(list)
        for value, units in self.answers.get(q.name, {}).items():
            if q.type == "select_multiple":
                for choice in str(value).split():
                    parts[choice].append(units)
            else:
                parts[str(value)].append(units)
        return {choice: _joined(units) for choice, units in parts.items()}

    def values(self, q: Question) -> list[tuple[Any, int]]:
        """Distinct answers with how many reports gave each (every row, inside repeats)."""
        if q.name in self.repeated:
            return list(Counter(self.rep_values.get(q.name, ())).items())
        return [(v, len(units)) for v, units in self.answers.get(q.name, {}).items()]

    def finding_units(self, q: Question) -> list[int]:
        if q.finding is None:
            return []
        if q.name in self.ref_findings or q.name in self.repeated:
            return self.found.get(q.name, [])
        rule = q.finding
        return _joined(
            [
                units
                for value, units in self.answers.get(q.name, {}).items()
                if rule.evaluate_bool(_no_lookup, value)
            ]
        )


def _joined(parts: list[list[int]]) -> list[int]:
    """The lists as one; the list itself when there is one (so that figures of the same reports
    are recognised and made once: see _question_tally)."""
    return parts[0] if len(parts) == 1 else list(itertools.chain.from_iterable(parts))


def tabulate(
    mission: Mission,
    form_id: str,
    *,
    by: str = "region",
    filters: Filters | None = None,
    language: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Tabulation:
    """Tabulate every question of form ``form_id`` (its latest version) over the mission's reports.

    Args:
        by: ``region`` or ``district``: how figures are broken down.
        filters: which reports count (default: complete reports of any region, any day).
        language: the language of labels (default: the form's default language).
    """
    if by not in ("region", "district"):
        raise InputError(f"Cannot break figures down by {by!r}: use region or district.")
    filters = filters or Filters()
    form = get_form(mission, form_id)
    lang = check_language(form, language)
    frame = sample_frame(mission)
    sections = _sections(form, lang)
    asked = [q for q in form.questions() if q.takes_answer]
    out: list[QuestionTally] = []
    # The pass keeps its counts in thousands of lists and the figures make thousands of tuples,
    # none of them in a cycle: the collector would walk them again and again for nothing (3-7%
    # of the time). They are freed before it runs again.
    with collection_paused():
        data = _Pass(form, _fetch_answers(mission, form_id, filters), _stations(mission), by)
        for number, q in enumerate(asked, start=1):
            out.append(_question_tally(data, form, q, lang, sections.get(q.name, ""), frame))
            if progress:
                progress(number, len(asked))
        reports = data.reports
        stations = sum(1 for c in data.units.codes if c is not None)
        del data
    return Tabulation(
        form_id=form.form_id,
        form_version=form.version,
        title=form.title_in(lang),
        by=by,
        language=lang,
        reports=reports,
        stations=stations,
        questions=tuple(out),
        filters=filters,
        sample=None if frame is None else frame.sample.design,
        _mission=mission,
    )


def _question_tally(
    data: _Pass, form: Form, q: Question, lang: str, section: str, frame: Frame | None
) -> QuestionTally:
    base = _Base(data, data.answered(q), frame)
    # Figures by the list of reports behind them: a finding that is one answer (``. = 'no'``)
    # has that answer's figures, made once. (The lists are kept, so their ids stay theirs.)
    made: dict[int, tuple[list[int], Tally]] = {}

    def tally(hits: list[int]) -> Tally:
        if id(hits) not in made:
            made[id(hits)] = (hits, _tally(data, hits, base))
        return made[id(hits)][1]

    answers_out: list[AnswerTally] = []
    if q.is_select:
        chosen = data.choice_units(q)
        for choice in form.choice_list(q):
            answers_out.append(
                AnswerTally(choice.name, choice.label(lang), tally(chosen.get(choice.name, [])))
            )
        known = {c.name for c in form.choice_list(q)}
        for value in sorted(v for v in chosen if v not in known):
            # answers of another form version, kept visible rather than dropped
            answers_out.append(AnswerTally(value, value, tally(chosen[value])))
    finding = tally(data.finding_units(q)) if q.finding is not None else None
    return QuestionTally(
        name=q.name,
        label=q.label(lang),
        type=q.type,
        section=section,
        answered=base.reports,
        answers=tuple(answers_out),
        finding=finding,
        finding_rule=q.finding.source if q.finding is not None else None,
        stats=_stats(data.values(q)) if q.type in (*_NUMERIC, "calculate") else None,
        answered_stations=base.stations,
    )


def _no_lookup(name: str) -> Any:
    raise KeyError(name)  # plain findings refer to no other question


def _questions(items: Sequence[Question | Group]) -> list[Question]:
    out: list[Question] = []
    for item in items:
        if isinstance(item, Question):
            out.append(item)
        else:
            out.extend(_questions(item.children))
    return out


class _Base:
    """What a question's percentages and intervals are taken over: the reports answering it."""

    def __init__(self, data: _Pass, answered: list[list[int]], frame: Frame | None) -> None:
        self.reports = sum(map(len, answered))
        self.stations = len(set().union(*answered) - data.without_code)
        self.frame = frame
        self.sampled: dict[str, str] = {}  # sampled station answering -> its stratum
        if frame is not None:
            inside = frame.in_sample
            units = data.units
            for u in set().union(*answered):
                code = units.codes[u]
                if code and (inside is None or code in inside):
                    self.sampled[code] = units.strata[u]


def _tally(data: _Pass, hits: list[int], base: _Base) -> Tally:
    units = data.units
    codes, numbers, runs, run_at = (
        units.placed_codes,
        units.placed_numbers,
        units.runs,
        units.run_at,
    )
    # Reports per unit, by the units' places in the order stations are listed, counted in C.
    per_unit = Counter(map(units.place.__getitem__, hits))
    # The places, sorted: each group is a run. (A set of small integers iterates in about
    # ascending order, which sorted() then takes in one pass: several times quicker than
    # sorting the counter's keys.)
    found = sorted(set(per_unit))
    groups = []
    start = 0
    while start < len(found):
        group, coded_end, end = runs[run_at[found[start]]]
        stop = bisect.bisect_left(found, end, start)
        members = found[start:stop]
        group_reports = sum(map(per_unit.__getitem__, members))
        if coded_end < end:  # reports of forms without a station count, but list no code
            members = members[: bisect.bisect_left(members, coded_end)]
        groups.append(
            GroupTally(
                group=group,
                reports=group_reports,
                stations=len(members),
                station_codes=tuple(map(codes.__getitem__, members)),  # type: ignore[arg-type]
                station_numbers=tuple(map(numbers.__getitem__, members)),
            )
        )
        start = stop
    reports = len(hits)
    percent = round(100 * reports / base.reports, 2) if base.reports else 0.0
    ci95 = estimate = se = None
    if base.frame is not None and base.sampled:
        hit_codes = {c for g in groups for c in g.station_codes} & base.sampled.keys()
        if base.frame.sample.design == "simple":
            ci95 = wilson(len(hit_codes), len(base.sampled), base.frame.population)
        else:
            per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for code, stratum in base.sampled.items():
                per[stratum][1] += 1
                per[stratum][0] += code in hit_codes
            result = stratified(((h, x, n) for h, (x, n) in per.items()), base.frame.strata)
            if result is not None:
                ci95, estimate, se = result.ci95, result.estimate, result.se
    stations = sum(g.stations for g in groups)
    return Tally(reports, stations, percent, ci95, tuple(groups), estimate, se)


def _stats(values: Sequence[tuple[Any, int]]) -> Stats | None:
    """Count, sum, mean, median, min and max of answers given as (value, how many) pairs."""
    numbers: list[tuple[float, int]] = []
    for v, n in values:
        if isinstance(v, bool):
            continue
        if isinstance(v, int | float):
            numbers.append((float(v), n))
        else:
            try:
                numbers.append((float(str(v)), n))
            except ValueError:
                return None  # a calculation that is not a number
    if not numbers:
        return None
    numbers.sort()
    count = sum(n for _v, n in numbers)
    total = sum(v * n for v, n in numbers)
    return Stats(
        n=count,
        sum=_num(total),
        mean=round(total / count, 4),
        median=_num(_weighted_median(numbers, count)),
        min=_num(numbers[0][0]),
        max=_num(numbers[-1][0]),
    )


def _weighted_median(numbers: list[tuple[float, int]], count: int) -> float:
    """The median of sorted (value, multiplicity) pairs, as statistics.median would give."""

    def at(k: int) -> float:
        seen = 0
        for v, n in numbers:
            seen += n
            if k < seen:
                return v
        return numbers[-1][0]

    if count % 2:
        return at(count // 2)
    return (at(count // 2 - 1) + at(count // 2)) / 2


def _num(x: float) -> float:
    return int(x) if float(x).is_integer() else round(x, 4)  # type: ignore[return-value]


def _tally_json(t: Tally) -> dict[str, Any]:
    out: dict[str, Any] = {
        "reports": t.reports,
        "stations": t.stations,
        "percent": t.percent,
        "ci95": list(t.ci95) if t.ci95 is not None else None,
        "groups": [
            {
                "group": g.group,
                "reports": g.reports,
                "stations": g.stations,
                "station_codes": list(g.station_codes),
            }
            for g in t.groups
        ],
    }
    if t.estimate is not None:
        out["estimate"] = t.estimate
        out["se"] = t.se
    return out


def to_json(t: Tabulation) -> dict[str, Any]:
    """The tabulation in the published JSON shape (``pollcheck tabulate --json``)."""
    return {
        "form": t.form_id,
        "form_version": t.form_version,
        "title": t.title,
        "by": t.by,
        "language": t.language,
        "sample": t.sample,
        "reports": t.reports,
        "stations": t.stations,
        "questions": [
            {
                "name": q.name,
                "label": q.label,
                "type": q.type,
                "section": q.section,
                "answered": q.answered,
                "answered_stations": q.answered_stations,
                "answers": [
                    {"value": a.value, "label": a.label, **_tally_json(a.tally)} for a in q.answers
                ],
                "finding": _tally_json(q.finding) if q.finding else None,
                "finding_rule": q.finding_rule,
                "stats": None if q.stats is None else q.stats.__dict__,
            }
            for q in t.questions
        ],
    }
