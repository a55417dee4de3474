"""Quality checks of a mission's reports: duplicates, broken rules, registry gaps and numbers.

Each check lists what it found with station codes and report ids, and a count. Deleted reports
never count; drafts count only where a check says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.forms import get_form, list_forms
from db.merge import Saved, list_conflicts
from db.mission import Mission
from db.sample import sample_frame
from db.tabulate import collection_paused, natural_key
from forms.messages import Phrase
from forms.model import Form
from forms.validate import validate


@dataclass(frozen=True)
class Finding:
    """One thing a check found: where (station, reports) and what, as a phrase of the catalog
    (forms/messages.py) shown in any language; ``data`` holds its figures for programs."""

    station_code: str | None
    report_ids: tuple[str, ...]
    phrase: Phrase
    region: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        """What was found, in English."""
        return self.phrase.text()

    def detail_in(self, language: str) -> str:
        return self.phrase.text(language)


@dataclass(frozen=True)
class Check:
    """One check: its name, its one-line title (a phrase of the catalog), and everything it
    found."""

    name: str
    heading: Phrase
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def title(self) -> str:
        """A one-line title, in English."""
        return self.title_in("en")

    def title_in(self, language: str) -> str:
        return self.heading.text(language)


@dataclass(frozen=True)
class Coverage:
    """Per region: stations in the registry (or sample), visited, reports and drafts."""

    region: str
    stations: int
    visited: int
    reports: int
    drafts: int
    not_visited: tuple[str, ...]


@dataclass(frozen=True)
class CheckReport:
    checks: tuple[Check, ...]
    coverage: tuple[Coverage, ...]


def _reports(mission: Mission, form_id: str | None) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT r.uuid, r.form_id, r.form_version, r.station_code, r.status, r.answers,"
        " s.code IS NOT NULL, coalesce(s.region, r.region), s.registered_voters"
        " FROM reports r LEFT JOIN stations s ON s.code = r.station_code WHERE r.deleted = 0"
    )
    params: list[Any] = []
    if form_id:
        sql += " AND r.form_id = ?"
        params.append(form_id)
    return mission.conn.execute(sql + " ORDER BY r.uuid", params).fetchall()


def run_checks(
    mission: Mission,
    *,
    form_id: str | None = None,
    language: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    answers: Mapping[str, dict[str, Any]] | None = None,
    rules: Callable[[], Sequence[Finding] | None] | None = None,
) -> CheckReport:
    """Run every check over the mission's reports (of ``form_id`` only, when given).

    Args:
        answers: answers of reports already decoded from this mission file, by report id (an
            export's reports): they are not decoded again. The checks only read them.
        rules: gives the rules check's findings (what :func:`broken_rules` finds), worked out
            meanwhile elsewhere (an export's second process); called once the other checks
            have gone through the reports. Where it gives None, the reports are validated here.
    """
    forms = _forms(mission, form_id)
    # Before the pass, whose end may wait for ``rules``.
    conflicts = tuple(_conflicts(mission, form_id))
    regions = tuple(coverage(mission, form_id))
    # The collector is paused while the reports are gone through, and resumes once they are
    # dropped (with _go_through's locals): resuming while they are held, it walks them all.
    with collection_paused():  # tens of thousands of answers kept, none in cycles
        dup_findings, broken, unknown, numbers = _go_through(
            mission, forms, form_id, language, progress, answers or {}, rules
        )
    checks = (
        Check("duplicates", Phrase("check.duplicates"), tuple(dup_findings)),
        Check("rules", Phrase("check.rules"), tuple(broken)),
        Check("unknown_stations", Phrase("check.unknown_stations"), tuple(unknown)),
        Check("registry_numbers", Phrase("check.registry_numbers"), tuple(numbers)),
        Check("conflicts", Phrase("check.conflicts"), conflicts),
    )
    return CheckReport(checks, regions)


def _forms(mission: Mission, form_id: str | None) -> dict[str, Form]:
    """The forms whose reports are checked: ``form_id``, else every form's latest version."""
    if form_id:
        return {form_id: get_form(mission, form_id)}
    return {f.form_id: get_form(mission, f.form_id) for f in list_forms(mission) if f.latest}


# A complete report whose answers the rules check validates: id, form, station, region, answers.
_ToValidate = tuple[str, Form, str | None, str | None, dict[str, Any]]


def broken_rules(
    mission: Mission, *, form_id: str | None = None, language: str | None = None
) -> list[Finding]:
    """The rules check by itself, as :func:`run_checks` does it: complete reports whose answers
    break their form's rules, each validated again (merged files are not trusted)."""
    forms = _forms(mission, form_id)
    with collection_paused():  # tens of thousands of answers kept, none in cycles
        reports = [
            (uuid, forms[fid], code, region, json.loads(text))
            for uuid, fid, _version, code, status, text, _known, region, _voters in _reports(
                mission, form_id
            )
            if status == "complete" and fid in forms
        ]
        return _broken(reports, language)


def _broken(reports: Sequence[_ToValidate], language: str | None) -> list[Finding]:
    """The rules check's findings on ``reports``."""
    return [f for f in (_broken_one(r, language) for r in reports) if f is not None]


def _broken_one(report: _ToValidate, language: str | None) -> Finding | None:
    """The rules check's finding on one report: None when its answers break no rule."""
    uuid, form, code, region, answers = report
    problems = validate(form, answers, language=language).problems
    if not problems:
        return None
    detail = "; ".join(f"{p.where()}: {p.message}" for p in problems)
    return Finding(
        code,
        (uuid,),
        Phrase("check.rules.detail", problems=detail),
        region,
        {"questions": [p.where() for p in problems]},
    )


def _go_through(
    mission: Mission,
    forms: Mapping[str, Form],
    form_id: str | None,
    language: str | None,
    progress: Callable[[int, int], None] | None,
    decoded: Mapping[str, dict[str, Any]],
    rules: Callable[[], Sequence[Finding] | None] | None,
) -> tuple[list[Finding], list[Finding], list[Finding], list[Finding]]:
    """One pass over the reports: the duplicates, rules, unknown stations and registry
    numbers checks' findings."""
    rows = _reports(mission, form_id)
    duplicates: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    regions_of: dict[str, str | None] = {}  # a station's region (the registry's, else a report's)
    broken: list[Finding] = []
    to_validate: list[_ToValidate] = []
    unknown: list[Finding] = []
    numbers: list[Finding] = []
    for n, (uuid, fid, _version, code, status, text, known, region, voters) in enumerate(rows):
        if progress:
            progress(n + 1, len(rows))
        if code and not known:
            unknown.append(
                Finding(code, (uuid,), Phrase("check.unknown_station", form=fid, code=code), region)
            )
        if status != "complete":
            continue  # the other checks are of complete reports only
        report = decoded.get(uuid)
        if report is None:
            report = json.loads(text)
        if code:
            duplicates[(fid, code)].append((uuid, report))
            regions_of[code] = region
        form = forms.get(fid)
        if form is None:
            continue
        if rules is None:  # validated now, so that progress counts it
            finding = _broken_one((uuid, form, code, region, report), language)
            if finding is not None:
                broken.append(finding)
        else:  # validated elsewhere, or below if that fails
            to_validate.append((uuid, form, code, region, report))
        numbers.extend(_registry_numbers(form, uuid, code, region, voters, report))
    dup_findings = []
    for (fid, code), reports in sorted(duplicates.items(), key=lambda kv: natural_key(kv[0][1])):
        if len(reports) < 2:
            continue
        differ = _disagree([a for _u, a in reports])
        dup_findings.append(
            Finding(
                code,
                tuple(u for u, _a in reports),
                Phrase(
                    "check.duplicates.differ" if differ else "check.duplicates.same",
                    form=fid,
                    n=len(reports),
                    questions=", ".join(differ),
                ),
                regions_of[code],
                {"form": fid, "disagree": differ},
            )
        )
    if rules is not None:  # last: what is done here meanwhile is done
        found = rules()
        broken = list(found) if found is not None else _broken(to_validate, language)
    return dup_findings, broken, unknown, numbers


def _disagree(answers: list[dict[str, Any]]) -> list[str]:
    """The questions, sorted, whose answers differ between the first report and another one
    (a missing answer counting as None).

    Report by report, only the questions not found to differ yet are compared: most differ
    from the first report in the second already, and are not compared again.
    """
    first, others = answers[0], answers[1:]
    undecided = set().union(*(a.keys() for a in answers))
    differ: list[str] = []
    for a in others:
        found = [k for k in undecided if a.get(k) != first.get(k)]
        differ += found
        undecided.difference_update(found)
        if not undecided:
            break
    return sorted(differ)


def _registry_numbers(
    form: Form,
    uuid: str,
    code: str | None,
    region: str | None,
    voters: int | None,
    answers: dict[str, Any],
) -> list[Finding]:
    if voters is None or not code:
        return []
    out = []
    added = answers.get(form.voters_added) if form.voters_added else None
    limit = voters + (added if isinstance(added, int | float) else 0)
    for name in form.registry_limits:
        value = answers.get(name)
        if isinstance(value, int | float) and value > limit:
            out.append(
                Finding(
                    code,
                    (uuid,),
                    Phrase(
                        "check.above_registry",
                        question=name,
                        value=value,
                        voters=voters,
                        added=limit - voters,
                    ),
                    region,
                    {"question": name, "value": value, "limit": limit},
                )
            )
    if form.registered_voters:
        given = answers.get(form.registered_voters)
        if isinstance(given, int | float) and given != voters:
            out.append(
                Finding(
                    code,
                    (uuid,),
                    Phrase(
                        "check.registry_differs",
                        question=form.registered_voters,
                        value=given,
                        registry=voters,
                    ),
                    region,
                    {"question": form.registered_voters, "value": given, "registry": voters},
                )
            )
    return out


def _version(saved: Saved | None, digest: str) -> Phrase:
    """One version of a conflicting report, as a coordinator can follow it up: who saved it,
    on which device, when (else, with no history of it, its digest)."""
    if saved is None:
        return Phrase("check.conflict.digest", digest=digest[:12])
    time = saved.time.replace("T", " ")[:16]
    if saved.observer:
        return Phrase(
            "check.conflict.saved_by", observer=saved.observer, device=saved.device, time=time
        )
    return Phrase("check.conflict.saved", device=saved.device, time=time)


def _conflicts(mission: Mission, form_id: str | None) -> list[Finding]:
    out = []
    for c in list_conflicts(mission):
        if form_id and c.form_id != form_id:
            continue
        out.append(
            Finding(
                c.station_code,
                (c.report_uuid,),
                Phrase(
                    "check.conflict.settled"
                    if c.current_revision > c.revision
                    else "check.conflict.both",
                    form=c.form_id,
                    revision=c.revision,
                    kept=_version(c.saved_kept, c.winner),
                    other=_version(
                        c.saved_other,
                        c.content_sha_b if c.winner == c.content_sha_a else c.content_sha_a,
                    ),
                    current=c.current_revision,
                ),
                None,
                {
                    "revision": c.revision,
                    "versions": [c.content_sha_a, c.content_sha_b],
                    "winner": c.winner,
                    "current_revision": c.current_revision,
                },
            )
        )
    return out


def coverage(mission: Mission, form_id: str | None = None) -> list[Coverage]:
    """Per region: stations in the registry (in the sample, when one is declared with a
    column), stations with a complete report, reports, drafts, and the stations not visited."""
    frame = sample_frame(mission)
    inside = frame.in_sample if frame is not None else None
    stations: dict[str, list[str]] = defaultdict(list)
    for code, region in mission.conn.execute("SELECT code, coalesce(region, '') FROM stations"):
        if inside is None or code in inside:
            stations[region].append(code)
    where = "r.deleted = 0 AND r.station_code IS NOT NULL"
    params: list[Any] = []
    if form_id:
        where += " AND r.form_id = ?"
        params.append(form_id)
    visited: dict[str, set[str]] = defaultdict(set)
    reports: dict[str, int] = defaultdict(int)
    drafts: dict[str, int] = defaultdict(int)
    for code, region, status in mission.conn.execute(
        "SELECT r.station_code, coalesce(s.region, r.region, ''), r.status FROM reports r"
        f" LEFT JOIN stations s ON s.code = r.station_code WHERE {where}",
        params,
    ):
        if status == "complete":
            visited[region].add(code)
            reports[region] += 1
        else:
            drafts[region] += 1
    out = []
    for region in sorted(set(stations) | set(reports) | set(drafts)):
        codes = stations.get(region, [])
        seen = visited.get(region, set())
        out.append(
            Coverage(
                region=region or "—",
                stations=len(codes),
                visited=len(seen & set(codes)) if codes else len(seen),
                reports=reports.get(region, 0),
                drafts=drafts.get(region, 0),
                not_visited=tuple(sorted((c for c in codes if c not in seen), key=natural_key)),
            )
        )
    return out


def checks_json(report: CheckReport, language: str = "en") -> dict[str, Any]:
    """``pollcheck check --json``: titles and details in ``language``."""
    return {
        "checks": [
            {
                "check": c.name,
                "title": c.title_in(language),
                "count": c.count,
                "items": [
                    {
                        "station_code": f.station_code,
                        "region": f.region,
                        "report_ids": list(f.report_ids),
                        "detail": f.detail_in(language),
                        **f.data,
                    }
                    for f in c.findings
                ],
            }
            for c in report.checks
        ],
        "coverage": [
            {
                "region": c.region,
                "stations": c.stations,
                "visited": c.visited,
                "reports": c.reports,
                "drafts": c.drafts,
                "not_visited": list(c.not_visited),
            }
            for c in report.coverage
        ],
    }
