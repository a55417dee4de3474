"""`pollcheck tabulate`, `check` and `sample`: the figures a mission publishes, as text or JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from db.checks import checks_json, run_checks
from db.errors import InputError
from db.mission import open_mission
from db.sample import declare_sample, get_sample
from db.tabulate import Filters, Tally, tabulate, to_json

# The words of the text output, in the languages the templates speak.
_WORDS = {
    "en": {
        "reports": "reports",
        "stations": "stations",
        "of": "of",
        "answered": "answered",
        "findings": "Findings, by number of stations",
        "questions": "All questions",
        "none": "No finding in these reports.",
        "ci": "95% CI",
        "drafts": " (drafts included)",
        "from": "from",
        "sum": "sum",
        "mean": "mean",
        "median": "median",
        "min": "min",
        "max": "max",
        "estimate": "estimate",
    },
    "ru": {
        "reports": "отчетов",
        "stations": "участков",
        "of": "из",
        "answered": "ответили",
        "findings": "Нарушения, по числу участков",
        "questions": "Все вопросы",
        "none": "В этих отчетах нарушений нет.",
        "ci": "95% ДИ",
        "drafts": " (включая черновики)",
        "from": "с",
        "sum": "сумма",
        "mean": "среднее",
        "median": "медиана",
        "min": "мин.",
        "max": "макс.",
        "estimate": "оценка",
    },
}


def _out(text: str = "") -> None:
    print(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """The report filters every figure and export takes (``--region`` … ``--include-drafts``)."""
    p.add_argument("--region")
    p.add_argument("--district")
    p.add_argument("--observer")
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    p.add_argument("--include-drafts", action="store_true")


def filters_from(args: argparse.Namespace) -> Filters:
    """The filters given by :func:`add_filter_arguments`."""
    return Filters(
        region=args.region,
        district=args.district,
        observer=args.observer,
        date_from=args.date_from,
        date_to=args.date_to,
        include_drafts=args.include_drafts,
    )


def _figure(t: Tally, w: dict[str, str]) -> str:
    text = f"{t.stations} {w['stations']}, {t.reports} {w['reports']}, {t.percent:.2f}%"
    if t.estimate is not None:
        text += f" ({w['estimate']} {t.estimate:.2f}%)"
    if t.ci95 is not None:
        text += f" [{w['ci']} {t.ci95[0]:.1f}–{t.ci95[1]:.1f}%]"
    return text


def _places(t: Tally) -> list[str]:
    return [
        f"      {g.group}: " + ", ".join(f"#{n}" for n in g.station_numbers)
        for g in t.groups
        if g.station_numbers
    ]


def cmd_tabulate(args: argparse.Namespace) -> int:
    filters = filters_from(args)
    with open_mission(args.file, readonly=True) as mission:
        tab = tabulate(mission, args.form, by=args.by, filters=filters, language=args.language)
    if args.json:
        print(json.dumps(to_json(tab), ensure_ascii=False, indent=2))
        return 0
    w = _WORDS.get(tab.language, _WORDS["en"])
    drafts = w["drafts"] if filters.include_drafts else ""
    _out(
        f"{tab.title}: {tab.reports} {w['reports']} {w['from']} {tab.stations} "
        f"{w['stations']}{drafts}"
    )
    _out()
    _out(f"{w['findings']}:")
    findings = tab.findings()
    if not findings:
        _out(f"  {w['none']}")
    for q in findings:
        assert q.finding is not None
        _out(f"  {q.label} [{q.name}: {q.finding_rule}]")
        _out(f"    {_figure(q.finding, w)} {w['of']} {q.answered} {w['answered']}")
        for line in _places(q.finding):
            _out(line)
    _out()
    _out(f"{w['questions']}:")
    for q in tab.questions:
        if not q.answered and not q.answers:
            continue
        _out(f"  {q.name}: {q.label} ({q.answered} {w['answered']})")
        for a in q.answers:
            _out(f"    {a.label:<40} {_figure(a.tally, w)}")
        if q.stats is not None:
            s = q.stats
            _out(
                f"    n={s.n} {w['sum']}={s.sum} {w['mean']}={s.mean} {w['median']}={s.median}"
                f" {w['min']}={s.min} {w['max']}={s.max}"
            )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with open_mission(args.file, readonly=True) as mission:
        report = run_checks(mission, form_id=args.form, language=args.language)
    language = args.language or "en"
    if args.json:
        print(json.dumps(checks_json(report, language), ensure_ascii=False, indent=2))
        return 0
    for check in report.checks:
        _out(f"{check.title_in(language)}: {check.count}")
        for f in check.findings:
            where = f.station_code or "-"
            _out(f"  {where:<14} {', '.join(f.report_ids)}")
            _out(f"      {f.detail_in(language)}")
    _out("Coverage (stations, visited, reports, drafts):")
    for c in report.coverage:
        _out(f"  {c.region:<24} {c.stations:>6} {c.visited:>6} {c.reports:>7} {c.drafts:>6}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    if args.none and args.design:
        raise InputError("Give either --design or --none, not both.")
    with open_mission(args.file, readonly=args.design is None and not args.none) as mission:
        if args.design or args.none:
            declare_sample(mission, None if args.none else args.design, args.column)
        sample = get_sample(mission)
    if sample is None:
        _out("No sample is declared: figures carry no confidence interval.")
    else:
        column = f", stations marked in column {sample.column!r}" if sample.column else ""
        _out(f"Sample: {sample.design} random{column}.")
    return 0


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the subcommands of this module to the `pollcheck` parser."""
    t = command("tabulate", cmd_tabulate, "the figures and station lists of a form's reports", sub)
    t.add_argument("file", metavar="FILE")
    t.add_argument("--form", required=True, metavar="FORM_ID")
    t.add_argument("--by", choices=["region", "district"], default="region")
    add_filter_arguments(t)
    t.add_argument("--language", metavar="CODE")
    t.add_argument("--json", action="store_true")
    c = command(
        "check", cmd_check, "quality checks: duplicates, broken rules, registry gaps, coverage", sub
    )
    c.add_argument("file", metavar="FILE")
    c.add_argument("--form", metavar="FORM_ID")
    c.add_argument("--language", metavar="CODE")
    c.add_argument("--json", action="store_true")
    s = command(
        "sample",
        cmd_sample,
        "declare how the observed stations were drawn (for "
        "confidence intervals); without options, show it",
        sub,
    )
    s.add_argument("file", metavar="FILE")
    s.add_argument(
        "--design",
        choices=["simple", "stratified"],
        help="simple random, or random within each region",
    )
    s.add_argument("--column", help="registry column marking the stations drawn (1/yes)")
    s.add_argument("--none", action="store_true", help="withdraw the declaration")
