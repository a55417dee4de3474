"""Tabulation with known answers: every figure, station list and interval checked by hand."""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.checks import run_checks
from db.forms import add_form
from db.mission import Mission
from db.reports import create_report, delete_report
from db.sample import declare_sample, stratified, wilson
from db.stations import Station, add_station
from db.tabulate import Filters, QuestionTally, Tabulation, tabulate, to_json

FORM = """
| survey |
|  | type | name | label::English (en) | label::Russian (ru) | relevant | finding | required |
|  | select_one yn | sealed | Box sealed? | Урна опечатана? | | . = 'no' | yes |
|  | select_multiple who | present | Who was present? | Кто присутствовал? | | selected(., 'police') | |
|  | integer | added | Voters added | Добавлено избирателей | ${sealed} = 'yes' | . > 100 | |
|  | integer | registered | Registered | Зарегистрировано | | | |
|  | integer | issued | Ballots issued | Выдано бюллетеней | | . > ${registered} | |
|  | begin_repeat | problems | Problems | Проблемы | | | |
|  | select_one cat | category | Category | Категория | | . = 'violence' | |
|  | end_repeat | | | | | | |
| choices |
|  | list_name | name | label::English (en) | label::Russian (ru) |
|  | yn | yes | Yes | Да |
|  | yn | no | No | Нет |
|  | who | police | Police | Полиция |
|  | who | officials | Officials | Чиновники |
|  | who | none | Nobody | Никто |
|  | cat | violence | Violence | Насилие |
|  | cat | other | Other | Другое |
| settings |
|  | form_id | version | default_language |
|  | visit | 1 | English (en) |
"""

STATIONS = [
    # code, number, region, district, registered voters, in the sample
    ("ALM-108", "108", "Almaty", "Medeu", 1000, "1"),
    ("ALM-361", "361", "Almaty", "Medeu", 1200, "1"),
    ("ALM-9", "9", "Almaty", "Auezov", 900, "0"),
    ("AKM-54", "54", "Akmola", "Kokshetau", 800, "1"),
    ("AKM-534", "534", "Akmola", "Kokshetau", 700, "0"),
    ("SHY-186", "186", "Shymkent", "Abay", 1500, "1"),
]


def _report(
    m: Mission,
    code: str,
    answers: dict[str, Any],
    *,
    status: str = "complete",
    observer: str = "Anna",
    started: str = "2005-12-04T09:00:00Z",
) -> str:
    return create_report(
        m,
        "visit",
        device="d",
        observer=observer,
        station_code=code,
        answers=answers,
        status=status,
        started=started,
    ).report.uuid


def _add_stations(m: Mission, rows: Sequence[tuple[Any, ...]]) -> None:
    """Stations from (code, number, region, district, voters, drawn) rows."""
    for code, number, region, district, voters, drawn in rows:
        add_station(
            m,
            Station(
                code=code,
                number=number,
                region=region,
                district=district,
                registered_voters=voters,
                attributes={"drawn": drawn},
            ),
        )


@pytest.fixture
def m(mission: Mission, xlsform: Callable[[str], Path]) -> Mission:
    add_form(mission, xlsform(FORM))
    _add_stations(mission, STATIONS)
    _report(
        mission,
        "ALM-108",
        {"sealed": "no", "present": "police officials", "registered": 1000, "issued": 1100},
    )
    # A second team at ALM-108: two reports, one station.
    _report(
        mission,
        "ALM-108",
        {"sealed": "no", "present": "none", "registered": 1000, "issued": 900},
        observer="Marat",
    )
    _report(
        mission,
        "ALM-361",
        {
            "sealed": "yes",
            "added": 150,
            "present": "police",
            "problems": [{"category": "violence"}, {"category": "other"}, {"category": "violence"}],
        },
    )
    _report(
        mission,
        "ALM-9",
        {"sealed": "yes", "added": 20, "present": "none", "registered": 900, "issued": 500},
        started="2005-12-05T08:00:00Z",
    )
    _report(
        mission,
        "AKM-54",
        {"sealed": "no", "present": "officials", "problems": [{"category": "other"}]},
        observer="Marat",
    )
    _report(mission, "SHY-186", {"sealed": "yes", "added": 300, "registered": 1500, "issued": 1600})
    # Not counted unless asked: a draft, and a deleted report.
    _report(mission, "AKM-534", {"sealed": "no"}, status="draft")
    gone = _report(mission, "AKM-534", {"sealed": "no", "present": "police"})
    delete_report(mission, gone, device="d")
    return mission


def q(t: Tabulation, name: str) -> QuestionTally:
    return next(x for x in t.questions if x.name == name)


def answer(t: Tabulation, name: str, value: str) -> Any:
    return next(a.tally for a in q(t, name).answers if a.value == value)


def groups(tally: Any) -> dict[str, tuple[int, int, tuple[str, ...]]]:
    return {g.group: (g.reports, g.stations, g.station_codes) for g in tally.groups}


def test_tabulate__reports_and_stations_counted_apart(m: Mission) -> None:
    t = tabulate(m, "visit")
    assert (t.reports, t.stations) == (6, 5)
    no = answer(t, "sealed", "no")
    assert (no.reports, no.stations, no.percent) == (3, 2, 50.0)
    assert groups(no) == {"Akmola": (1, 1, ("AKM-54",)), "Almaty": (2, 1, ("ALM-108",))}
    assert (q(t, "sealed").answered, q(t, "sealed").answered_stations) == (6, 5)


def test_tabulate__finding__stations_by_region_sorted_naturally(m: Mission) -> None:
    t = tabulate(m, "visit")
    f = q(t, "sealed").finding
    assert f is not None and (f.reports, f.stations) == (3, 2)
    added = q(t, "added").finding  # . > 100: ALM-361 (150) and SHY-186 (300)
    assert added is not None
    assert (added.reports, added.stations, added.percent) == (2, 2, round(100 * 2 / 3, 2))
    assert groups(added) == {"Almaty": (1, 1, ("ALM-361",)), "Shymkent": (1, 1, ("SHY-186",))}
    # Findings ordered by stations, then reports: sealed (2 stations, 3 reports) first.
    assert [x.name for x in t.findings()][:2] == ["sealed", "added"]


def test_tabulate__skip_logic__not_relevant_is_not_answered(m: Mission) -> None:
    t = tabulate(m, "visit")
    # 'added' is asked only when the box was sealed: 3 reports answered, not 6.
    assert q(t, "added").answered == 3
    assert q(t, "added").stats is not None
    stats = q(t, "added").stats
    assert stats is not None
    assert (stats.n, stats.sum, stats.min, stats.max, stats.median) == (3, 470, 20, 300, 150)
    assert math.isclose(stats.mean, 470 / 3, rel_tol=1e-4)


def test_tabulate__select_multiple__each_choice_over_reports_answering(m: Mission) -> None:
    t = tabulate(m, "visit")
    assert q(t, "present").answered == 5
    police = answer(t, "present", "police")
    assert (police.reports, police.stations, police.percent) == (2, 2, 40.0)
    assert groups(police) == {"Almaty": (2, 2, ("ALM-108", "ALM-361"))}
    officials = answer(t, "present", "officials")
    assert (officials.reports, officials.stations) == (2, 2)
    finding = q(t, "present").finding
    assert finding is not None and finding.station_codes == ("ALM-108", "ALM-361")


def test_tabulate__finding_that_uses_another_answer__per_report(m: Mission) -> None:
    t = tabulate(m, "visit")
    f = q(t, "issued").finding  # issued > registered: ALM-108 (first team), SHY-186
    assert f is not None
    assert (f.reports, f.stations) == (2, 2)
    assert f.station_codes == ("ALM-108", "SHY-186")


def test_tabulate__repeat_rows__count_once_per_report(m: Mission) -> None:
    t = tabulate(m, "visit")
    assert q(t, "category").answered == 2
    violence = answer(t, "category", "violence")
    assert (violence.reports, violence.percent) == (1, 50.0)
    other = answer(t, "category", "other")
    assert (other.reports, other.stations) == (2, 2)
    finding = q(t, "category").finding
    assert finding is not None and finding.station_codes == ("ALM-361",)


def test_tabulate__drafts_only_when_asked_and_deleted_never(m: Mission) -> None:
    assert tabulate(m, "visit").reports == 6
    t = tabulate(m, "visit", filters=Filters(include_drafts=True))
    assert t.reports == 7
    assert answer(t, "sealed", "no").station_codes == ("AKM-54", "AKM-534", "ALM-108")


@pytest.mark.parametrize(
    ("filters", "reports"),
    [
        (Filters(region="Almaty"), 4),
        (Filters(district="Medeu"), 3),
        (Filters(observer="Marat"), 2),
        (Filters(date_from=dt.date(2005, 12, 5)), 1),
        (Filters(date_to=dt.date(2005, 12, 4)), 5),
    ],
)
def test_tabulate__filters(m: Mission, filters: Filters, reports: int) -> None:
    assert tabulate(m, "visit", filters=filters).reports == reports


def test_tabulate__by_district__groups_name_region_and_district(m: Mission) -> None:
    t = tabulate(m, "visit", by="district")
    assert set(groups(answer(t, "sealed", "yes"))) == {
        "Almaty / Medeu",
        "Almaty / Auezov",
        "Shymkent / Abay",
    }


def test_tabulate__language__labels_in_russian(m: Mission) -> None:
    t = tabulate(m, "visit", language="ru")
    assert q(t, "sealed").label == "Урна опечатана?"
    assert [a.label for a in q(t, "sealed").answers] == ["Да", "Нет"]


def test_tabulate__no_sample__no_interval(m: Mission) -> None:
    t = tabulate(m, "visit")
    assert answer(t, "sealed", "no").ci95 is None
    assert to_json(t)["questions"][0]["answers"][1]["ci95"] is None


def test_tabulate__simple_sample__wilson_with_population_correction(m: Mission) -> None:
    declare_sample(m, "simple")
    t = tabulate(m, "visit")
    no = answer(t, "sealed", "no")
    # 2 of the 5 stations answering said no; the registry holds 6 stations.
    assert no.ci95 == wilson(2, 5, 6)
    lo, hi = no.ci95  # type: ignore[misc]
    assert 0 <= lo < 40 < hi <= 100


def test_tabulate__stratified_sample__weighted_by_registry(m: Mission) -> None:
    declare_sample(m, "stratified", column="drawn")
    t = tabulate(m, "visit")
    no = answer(t, "sealed", "no")
    # drawn and answering: Almaty ALM-108 (no), ALM-361 (yes); Akmola AKM-54 (no);
    # Shymkent SHY-186 (yes). Registry sizes: Almaty 3, Akmola 2, Shymkent 1.
    expected = stratified(
        [("Almaty", 1, 2), ("Akmola", 1, 1), ("Shymkent", 0, 1)],
        {"Almaty": 3, "Akmola": 2, "Shymkent": 1},
    )
    assert expected is not None
    assert (no.estimate, no.se, no.ci95) == (expected.estimate, expected.se, expected.ci95)
    assert no.estimate == round(100 * (3 / 6 * 0.5 + 2 / 6 * 1 + 1 / 6 * 0), 2)


def test_wilson__known_values() -> None:
    # Wilson's interval for 16 of 310 without correction, worked by hand: 3.20% to 8.22%.
    assert wilson(16, 310) == (3.2, 8.22)
    assert wilson(0, 10) == (0.0, 27.75)
    assert wilson(5, 5, 5) == (100.0, 100.0)  # the whole population: no uncertainty


def test_to_json__published_shape(m: Mission) -> None:
    data = json.loads(json.dumps(to_json(tabulate(m, "visit"))))
    assert {"form", "form_version", "by", "reports", "stations", "questions"} <= set(data)
    sealed = data["questions"][0]
    assert {"name", "label", "type", "answered", "answers", "finding", "stats"} <= set(sealed)
    no = sealed["answers"][1]
    assert {"value", "label", "reports", "stations", "percent", "ci95", "groups"} <= set(no)
    assert set(no["groups"][0]) >= {"group", "reports", "stations", "station_codes"}
    assert data["questions"][2]["stats"]["n"] == 3


def test_behind__a_figure__lists_its_reports(m: Mission) -> None:
    t = tabulate(m, "visit")
    codes = [code for _uuid, code in t.behind("sealed", "no")]
    assert codes == ["AKM-54", "ALM-108", "ALM-108"]
    assert [c for _u, c in t.behind("sealed", group="Akmola")] == ["AKM-54"]
    assert [c for _u, c in t.behind("category")] == ["ALM-361"]


def test_checks__duplicates_rules_registry_and_coverage(m: Mission) -> None:
    report = run_checks(m, form_id="visit")
    by_name = {c.name: c for c in report.checks}
    (dup,) = by_name["duplicates"].findings
    assert dup.station_code == "ALM-108" and len(dup.report_ids) == 2
    assert dup.region == "Almaty"  # the Checks sheet can be filtered by region
    assert set(dup.data["disagree"]) == {"present", "issued"}
    coverage = {c.region: c for c in report.coverage}
    assert (coverage["Akmola"].stations, coverage["Akmola"].visited) == (2, 1)
    assert coverage["Akmola"].not_visited == ("AKM-534",)
    assert coverage["Akmola"].drafts == 1
    assert (coverage["Almaty"].visited, coverage["Almaty"].reports) == (3, 4)


def test_checks__answers_already_decoded__same_report(m: Mission) -> None:
    rows = m.conn.execute("SELECT uuid, answers FROM reports WHERE status = 'complete'")
    decoded = {uuid: json.loads(text) for uuid, text in rows}
    before = json.dumps(decoded, sort_keys=True)

    given = run_checks(m, form_id="visit", answers=decoded)

    assert given == run_checks(m, form_id="visit")
    assert json.dumps(decoded, sort_keys=True) == before  # only read


def test_tabulate__damaged_row__counted_without_its_damaged_answer(m: Mission) -> None:
    # A file edited by hand: an object where an answer should be. The rest of it still counts.
    m.conn.execute(
        "UPDATE reports SET answers = json_set(answers, '$.issued', json('[1, 2]'))"
        " WHERE station_code = 'SHY-186' AND deleted = 0"
    )
    t = tabulate(m, "visit")
    assert answer(t, "sealed", "yes").reports == 3
    # ALM-108 twice and ALM-9; SHY-186's damaged answer is left out, not counted as 1 or 2.
    assert q(t, "issued").answered == 3
    assert q(t, "issued").stats.sum == 1100 + 900 + 500  # type: ignore[union-attr]


def test_tabulate__answers_with_leading_space__read_like_any_json(m: Mission) -> None:
    # Valid JSON (SQLite's json_valid takes it, so a merge lets it in) with white space first.
    before = tabulate(m, "visit")
    m.conn.execute("UPDATE reports SET answers = ' ' || answers WHERE station_code = 'SHY-186'")
    after = tabulate(m, "visit")
    assert answer(after, "sealed", "yes").reports == answer(before, "sealed", "yes").reports
    assert q(after, "issued").stats == q(before, "issued").stats


def test_tabulate__form_without_station__groups_by_the_reports_region(
    mission: Mission, xlsform: Callable[[str], Path]
) -> None:
    add_form(
        mission,
        xlsform(
            "| survey |\n|  | type | name | label | finding |\n"
            "|  | select_one yn | pressure | Pressure on voters? | . = 'yes' |\n"
            "| choices |\n|  | list_name | name | label |\n|  | yn | yes | Yes |\n|  | yn | no | No |\n"
            "| settings |\n|  | form_id | version | station |\n|  | weekly | 1 | absent |\n"
        ),
    )
    add_station(mission, Station(code="ALM-1", number="1", region="Almaty"))
    for region, answer in (("Almaty", "yes"), ("Almaty", "no"), ("Akmola", "yes")):
        create_report(
            mission,
            "weekly",
            device="d",
            region=region,
            status="complete",
            answers={"pressure": answer},
        )
    t = tabulate(mission, "weekly")
    assert (t.reports, t.stations) == (3, 0)
    f = q(t, "pressure").finding
    assert f is not None and (f.reports, f.stations) == (2, 0)
    assert groups(f) == {"Akmola": (1, 0, ()), "Almaty": (1, 0, ())}


# Tabulation against a plain reference, report by report, on generated missions: stored answers
# as they may come from merged or hand-edited files (unknown choices, nulls, a list where an
# answer should be), stations in and out of the registry, drafts, filters.

# The form above, and findings that need the answers they refer to only for some answers.
GENERATED_FORM = FORM.replace(
    "|  | begin_repeat |",
    "|  | integer | late | Late | Поздно | | . >= 20 and . > 0.5 * ${registered} | |\n"
    "|  | integer | big | Big | Много | | . > 1500 or . > ${issued} | |\n"
    "|  | begin_repeat |",
)
REGISTRY = [*STATIONS, ("KZ-7", "7", None, None, 100, "0")]  # a registered station, no region
_CODES = [s[0] for s in REGISTRY] + ["UNREG-3", "UNREG-12", None]
# A station takes its region from the registry, else from its reports: the same in all of them
# (a station's group is that of the first report met).
_OWN_REGION = {"KZ-7": "Akmola", "UNREG-3": "Almaty", "UNREG-12": None}
_DAMAGED = st.sampled_from([[1, 2], {"x": 1}])
_SELECT_ONE = st.sampled_from(["yes", "no", "maybe"]) | st.none() | _DAMAGED
_CHOSEN = st.lists(st.sampled_from(["police", "officials", "none", "guests"]), unique=True)
_NUMBER = st.integers(0, 2000) | st.none() | _DAMAGED
_ROW = st.fixed_dictionaries(
    {}, optional={"category": st.sampled_from(["violence", "other", "fire"]) | st.none()}
)
_ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "sealed": _SELECT_ONE,
        "present": _CHOSEN.map(" ".join) | _DAMAGED,
        "added": _NUMBER,
        "registered": _NUMBER,
        "issued": _NUMBER,
        "late": _NUMBER,
        "big": _NUMBER,
        "problems": st.lists(_ROW, max_size=3),
    },
)
_REPORT = st.tuples(
    st.sampled_from(_CODES),
    st.sampled_from(["Almaty", "Akmola", None]),  # the report's own region
    st.sampled_from(["complete", "complete", "draft"]),
    st.booleans() | st.just(False),  # deleted
    _ANSWERS,
)
_FILTERS = st.sampled_from(
    [
        Filters(),
        Filters(include_drafts=True),
        Filters(region="Almaty"),
        Filters(region="Akmola", include_drafts=True),
        Filters(district="Medeu"),
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_REPORT, max_size=25), st.sampled_from(["region", "district"]), _FILTERS)
def test_tabulate__generated_missions__same_as_a_plain_reference(
    mission: Mission,
    xlsform: Callable[[str], Path],
    reports: list[tuple[Any, ...]],
    by: str,
    filters: Filters,
) -> None:
    m = mission
    if not m.conn.execute("SELECT 1 FROM forms").fetchone():
        add_form(m, xlsform(GENERATED_FORM))
        _add_stations(m, REGISTRY)
    m.conn.execute("DELETE FROM reports")
    m.conn.executemany(
        "INSERT INTO reports (uuid, form_id, form_version, station_code, region, device, status,"
        " deleted, revision, created, updated, answers, content_sha)"
        " VALUES (?, 'visit', '1', ?, ?, 'd', ?, ?, 1, '2005-12-04', '2005-12-04', ?, '')",
        [
            (
                f"r{i}",
                code,
                region if code is None else _OWN_REGION.get(code, region),
                status,
                deleted,
                json.dumps(answers),
            )
            for i, (code, region, status, deleted, answers) in enumerate(reports)
        ],
    )
    t = tabulate(m, "visit", by=by, filters=filters)
    assert _figures(t) == _reference(m, by, filters)


def _tally_figures(tally: Any) -> tuple[Any, ...]:
    groups_ = tuple(
        (g.group, g.reports, g.stations, g.station_codes, g.station_numbers) for g in tally.groups
    )
    return (tally.reports, tally.stations, tally.percent, groups_)


def _figures(t: Tabulation) -> dict[str, Any]:
    return {
        "reports": t.reports,
        "stations": t.stations,
        **{
            x.name: (
                x.answered,
                x.answered_stations,
                [(a.value, _tally_figures(a.tally)) for a in x.answers],
                None if x.finding is None else _tally_figures(x.finding),
                x.stats,
            )
            for x in t.questions
        },
    }


def _reference(m: Mission, by: str, filters: Filters) -> dict[str, Any]:
    """The figures worked out the plain way: report by report, question by question."""
    from db.forms import get_form
    from db.tabulate import NO_GROUP, Stats, natural_key

    form = get_form(m, "visit")
    registry = {c: (n, r, d) for c, n, r, d, _v, _x in REGISTRY}
    counted = []  # (station code, station number, group, answers)
    for code, own_region, status, deleted, text in m.conn.execute(
        "SELECT station_code, region, status, deleted, answers FROM reports ORDER BY rowid"
    ):
        number, region, district = registry.get(code, (None, None, None))
        region = region if region is not None else own_region
        if deleted or (status != "complete" and not filters.include_drafts):
            continue
        if (filters.region and region != filters.region) or (
            filters.district and district != filters.district
        ):
            continue
        group = region or NO_GROUP
        if by == "district":
            group = f"{group} / {district or NO_GROUP}"
        counted.append((code, number or code or "", group, json.loads(text)))

    def damaged(value: Any) -> bool:
        return isinstance(value, list | dict)

    def tally(hits: list[int], base: int) -> tuple[Any, ...]:
        by_group: dict[str, list[Any]] = {}
        for i in hits:
            code, number, group, _answers = counted[i]
            entry = by_group.setdefault(group, [0, {}])
            entry[0] += 1
            if code is not None:
                entry[1][code] = number
        groups_ = []
        for group in sorted(by_group, key=lambda g: (g == NO_GROUP, g)):
            n, stations = by_group[group]
            codes = tuple(sorted(stations, key=natural_key))
            groups_.append((group, n, len(codes), codes, tuple(stations[c] for c in codes)))
        percent = round(100 * len(hits) / base, 2) if base else 0.0
        return (len(hits), sum(g[2] for g in groups_), percent, tuple(groups_))

    def stations_of(hits: list[int]) -> int:
        return len({counted[i][0] for i in hits} - {None})

    out: dict[str, Any] = {"reports": len(counted), "stations": stations_of(range(len(counted)))}
    for question in form.questions():
        name = question.name
        rule = question.finding
        # For each report: the values it gave (one per repeat row) and whether the finding holds.
        given: list[list[Any]] = []
        holds: list[bool] = []
        for _code, _number, _group, answers in counted:
            if form.repeat_of(name) is None:
                value = answers.get(name)
                values = [value] if name in answers and not damaged(value) else []
                # A rule that refers to other answers needs an answer, and answers it can read.
                refs = rule.references() if rule is not None else ()
                readable = not refs or (
                    value is not None and not any(damaged(answers.get(r)) for r in refs)
                )
                holds.append(
                    rule is not None
                    and bool(values)
                    and readable
                    and rule.evaluate_bool(answers.get, value)
                )
            else:
                rows = [r for r in answers.get("problems", []) if isinstance(r, dict)]
                values = [r[name] for r in rows if r.get(name) is not None]
                holds.append(
                    rule is not None
                    and any(
                        r.get(name) is not None and rule.evaluate_bool(r.get, r[name]) for r in rows
                    )
                )
            given.append(values)
        answering = [i for i, values in enumerate(given) if values]
        answers_out = []
        if question.is_select:
            names = [c.name for c in form.choice_list(question)]
            chosen: dict[str, list[int]] = {}
            multiple = question.type == "select_multiple"
            for i in answering:
                named = (c for v in given[i] for c in (str(v).split() if multiple else [str(v)]))
                for choice in dict.fromkeys(named):
                    chosen.setdefault(choice, []).append(i)
            for choice in names + sorted(c for c in chosen if c not in names):
                answers_out.append((choice, tally(chosen.get(choice, []), len(answering))))
        stats = None
        values = [v for i in answering for v in given[i]]
        if question.type == "integer" and values:
            # An answer that is no number (a null, say) leaves the question without statistics.
            try:
                numbers = sorted(float(str(v)) for v in values if not isinstance(v, bool))
            except ValueError:
                numbers = []
            if numbers:

                def num(x: float) -> float:
                    return int(x) if float(x).is_integer() else round(x, 4)

                total = sum(numbers)
                stats = Stats(
                    n=len(numbers),
                    sum=num(total),
                    mean=round(total / len(numbers), 4),
                    median=num(statistics.median(numbers)),
                    min=num(numbers[0]),
                    max=num(numbers[-1]),
                )
        found = [i for i in answering if holds[i]]
        out[name] = (
            len(answering),
            stations_of(answering),
            answers_out,
            None if rule is None else tally(found, len(answering)),
            stats,
        )
    return out
