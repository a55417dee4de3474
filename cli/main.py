"""The `pollcheck` command line: thin subcommands over the core, one clear line per problem."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

from cli import analysis, exporting
from db.device import config_dir, device_id
from db.errors import InputError, PollcheckError
from db.forms import add_form, export_workbook, get_form, list_forms
from db.mission import Mission, create_mission, open_mission
from db.reports import get_report, list_reports, report_history
from db.reports_import import import_reports
from db.station_lists import import_stations
from db.stations import list_stations
from db.summary import mission_summary
from forms.templates import TEMPLATES, template, templates

# Subcommands; anything else as the first argument is a mission file for the desktop program.
COMMANDS = (
    "new",
    "info",
    "forms",
    "stations",
    "observers",
    "reports",
    "demo",
    "tabulate",
    "check",
    "sample",
    "export",
    "kit",
    "send",
    "merge",
    "merge-log",
    "kits",
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a user's mistake exits 1 (our contract), with the usage and a hint."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: {message}. See '{self.prog} --help'.\n")


def _out(text: str = "") -> None:
    print(text)


def _n(count: int, noun: str) -> str:
    """``count`` and the English ``noun`` that goes with it: "1 region", "2 regions"."""
    return f"{count} {_en(count, noun, noun + 's')}"


def _en(count: int, one: str, other: str) -> str:
    from forms.messages import plural  # the catalog loads on first use (start-up)

    return plural(count, (one, other), "en")


def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _open(path: str, *, readonly: bool = False) -> Mission:
    return open_mission(Path(path), readonly=readonly)


# -- subcommands ----------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    # Read every form first, so that a bad workbook leaves no half-made mission behind.
    sources: list[tuple[str | Path | bytes, str | None]] = []
    for name in args.template or []:
        t = template(name)
        sources.append((t.workbook, t.filename))
    for path in args.form or []:
        from forms.xlsform import load_form

        load_form(Path(path))
        sources.append((Path(path), None))
    target = Path(args.file)
    with create_mission(
        target, title=args.title, country=args.country, election_date=args.election_date
    ) as mission:
        try:
            for source, filename in sources:
                added = add_form(mission, source, filename=filename)
                _out(f"form {added.form.form_id} version {added.form.version}: {added.status}")
            info = mission.info()
        except BaseException:
            # Two forms that clash (same id and version, other content) are found only here.
            mission.close()
            for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
            raise
    _out(f"Created mission {info.title!r} ({info.mission_id}) in {target}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with _open(args.file, readonly=True) as mission:
        summary = mission_summary(mission)
    if args.json:
        # MissionInfo is a named tuple, which asdict keeps as one (a JSON list): an object.
        _json({**asdict(summary), "mission": summary.mission._asdict()})
        return 0
    info = summary.mission
    _out(f"Mission:   {info.title}" + ("  [SYNTHETIC DEMO DATA]" if info.synthetic else ""))
    _out(f"Id:        {info.mission_id} (this copy {info.copy_id})")
    _out(f"Country:   {info.country or '-'}   Election date: {info.election_date or '-'}")
    _out(f"Stations:  {summary.stations} in {_n(summary.regions, 'region')}")
    _out(f"Observers: {summary.observers}")
    _out("Forms:")
    for f in summary.forms:
        reports = _en(f.reports, "report ", "reports")
        _out(f"  {f.form_id:<16} v{f.version:<12} {f.reports:>6} {reports}  {f.title}")
    if not summary.forms:
        _out("  none yet: add one with 'pollcheck forms add'")
    _out("Reports:   " + ", ".join(f"{n} {k}" for k, n in summary.reports.items()))
    return 0


def cmd_forms_templates(args: argparse.Namespace) -> int:
    rows = []
    for t in templates():
        f = t.form
        rows.append(
            {
                "name": t.name,
                "form_id": f.form_id,
                "version": f.version,
                "station": f.station,
                "questions": sum(1 for q in f.questions() if q.takes_answer),
                "findings": sum(1 for q in f.questions() if q.finding is not None),
                "languages": list(f.language_codes()),
                "title": {code: f.title_in(code) for code in f.language_codes()},
            }
        )
    if args.json:
        _json(rows)
        return 0
    for r in rows:
        _out(
            f"{r['name']:<18} {r['form_id']:<11} v{r['version']}  "
            f"{_n(r['questions'], 'question')}, "
            f"{r['findings']} with findings, station {r['station']}, "
            f"languages {'/'.join(r['languages'])}"
        )
        for code, title in r["title"].items():
            _out(f"    {code}: {title}")
    return 0


def cmd_forms_add(args: argparse.Namespace) -> int:
    with _open(args.file) as mission:
        added = add_form(mission, Path(args.workbook))
    word = {
        "added": "added",
        "new_version": "added as a new version",
        "unchanged": "already there, unchanged",
    }[added.status]
    _out(f"form {added.form.form_id} version {added.form.version}: {word}")
    return 0


def cmd_forms_list(args: argparse.Namespace) -> int:
    with _open(args.file, readonly=True) as mission:
        records = list_forms(mission)
    if args.json:
        _json([asdict(r) for r in records])
        return 0
    for r in records:
        mark = "*" if r.latest else " "
        reports = _en(r.reports, "report ", "reports")
        _out(
            f"{mark} {r.form_id:<16} v{r.version:<12} {r.reports:>6} {reports}  added {r.added}"
            f"  {r.title}"
        )
    if not records:
        _out("The mission has no forms yet: add one with 'pollcheck forms add'.")
    return 0


def cmd_forms_export(args: argparse.Namespace) -> int:
    with _open(args.file, readonly=True) as mission:
        try:
            out = export_workbook(mission, args.form_id, Path(args.out), args.version)
        except OSError as exc:
            raise InputError(
                f"{args.out}: cannot write the file ({exc.strerror or exc}). Check that the "
                "folder exists and that you may write there."
            ) from None
    _out(f"Wrote {out}")
    return 0


def cmd_stations_import(args: argparse.Namespace) -> int:
    with _open(args.file) as mission:
        result = import_stations(mission, Path(args.table), encoding=args.encoding)
    enc = f" (read as {result.encoding})" if result.encoding else ""
    _out(
        f"Stations{enc}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )
    return 0


def cmd_observers_import(args: argparse.Namespace) -> int:
    from db.observers import import_observers

    with _open(args.file) as mission:
        result = import_observers(mission, Path(args.table), encoding=args.encoding)
    enc = f" (read as {result.encoding})" if result.encoding else ""
    _out(
        f"Observers{enc}: {result.added} added, {result.updated} with a new team, "
        f"{result.unchanged} unchanged"
    )
    return 0


def cmd_observers_list(args: argparse.Namespace) -> int:
    from db.observers import list_observers

    with _open(args.file, readonly=True) as mission:
        observers = list_observers(mission)
    if args.json:
        _json([{"name": o.name, "team": o.team} for o in observers])
        return 0
    width = max([len(o.name) for o in observers] + [4])
    for o in observers:
        _out(f"{o.name:<{width}}  {o.team or '-'}")
    _out(_n(len(observers), "observer"))
    return 0


def cmd_stations_list(args: argparse.Namespace) -> int:
    with _open(args.file, readonly=True) as mission:
        stations = list_stations(
            mission, region=args.region, district=args.district, search=args.search
        )
    if args.json:
        _json([{**s._asdict(), "attributes": dict(s.attributes)} for s in stations])
        return 0
    for s in stations:
        voters = "" if s.registered_voters is None else f"{s.registered_voters:>7}"
        _out(
            f"{s.code:<16} #{s.number:<6} {s.region or '-':<20} {s.district or '-':<20} "
            f"{voters}  {s.name or ''}"
        )
    _out(_n(len(stations), "station"))
    return 0


def cmd_reports_import(args: argparse.Namespace) -> int:
    with _open(args.file) as mission:
        result = import_reports(
            mission,
            Path(args.table),
            args.form,
            device=device_id(),
            encoding=args.encoding,
            observer=args.observer,
        )
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    _out(f"Reports: {result.added} added, {result.updated} updated, {result.unchanged} unchanged")
    return 0


def cmd_reports_list(args: argparse.Namespace) -> int:
    with _open(args.file, readonly=True) as mission:
        reports = list_reports(
            mission,
            form_id=args.form,
            station_code=args.station,
            status=args.status,
            include_deleted=args.include_deleted,
        )
    if args.json:
        _json([asdict(r) for r in reports])
        return 0
    for r in reports:
        where = r.station_code or r.region or "-"
        flag = " (deleted)" if r.deleted else ""
        _out(
            f"{r.uuid}  {r.form_id:<12} {where:<14} {r.status:<8} rev {r.revision:<3} "
            f"{r.updated}  {r.observer or '-'}{flag}"
        )
    _out(_n(len(reports), "report"))
    return 0


def cmd_reports_show(args: argparse.Namespace) -> int:
    with _open(args.file, readonly=True) as mission:
        report = get_report(mission, args.uuid)
        form = get_form(mission, report.form_id, report.form_version)
        history = report_history(mission, args.uuid) if args.history else []
    if args.json:
        _json({**asdict(report), "history": [asdict(h) for h in history]})
        return 0
    lang = args.language or form.default_language
    _out(f"Report {report.uuid}: {form.title_in(lang)} v{report.form_version}")
    _out(
        f"Station {report.station_code or '-'}  region {report.region or '-'}  observer "
        f"{report.observer or '-'}  status {report.status}{' (deleted)' if report.deleted else ''}"
        f"  revision {report.revision}"
    )
    for q in form.questions():
        if q.name in report.answers:
            value = report.answers[q.name]
            if q.is_select:
                labels = {c.name: c.label(lang) for c in form.choice_list(q)}
                value = ", ".join(labels.get(v, v) for v in str(value).split())
            _out(f"  {q.label(lang)}: {value}")
    for h in history:
        changed = ", ".join(sorted(h.changes.get("answers", {}))) or "-"
        _out(
            f"  rev {h.revision} {h.saved} by {h.observer or '-'} on {h.device}: "
            f"{h.status}{' deleted' if h.deleted else ''}; answers changed: {changed}"
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from db.demo import make_demo

    info = make_demo(Path(args.file), stations=args.stations, reports=args.reports, seed=args.seed)
    _out(f"Created the demo mission {info.title!r} in {args.file} (synthetic data)")
    return 0


def cmd_kit(args: argparse.Namespace) -> int:
    from db.kit import list_kits, make_kit

    if args.each_observer:
        return _kits_for_each_observer(args)
    out = make_kit(
        Path(args.hq_file),
        Path(args.out_file),
        observer=args.observer,
        regions=args.region or (),
        overwrite=args.overwrite,
    )
    with _open(str(out), readonly=True) as kit:
        summary = mission_summary(kit)
        copy_id = kit.info().copy_id
    reports = sum(n for k, n in summary.reports.items() if k != "deleted")
    whose = f" of {args.observer}" if args.observer else ""
    _out(
        f"Wrote the kit {out}: {_n(len(summary.forms), 'form')}, {_n(summary.stations, 'station')}"
        f" in {_n(summary.regions, 'region')}, {_n(reports, 'report')}{whose}"
    )
    with _open(args.hq_file, readonly=True) as hq:
        listed = any(k.copy_id == copy_id for k in list_kits(hq))
    if not listed:
        _out(f"(Not listed in {args.hq_file}'s kits: the file could not be written to.)")
    return 0


def _kits_for_each_observer(args: argparse.Namespace) -> int:
    from db.kit import make_kits
    from db.observers import list_observers

    folder = Path(args.out_file)
    if args.observer or args.overwrite:
        raise InputError(
            "--each-observer names the observers itself and never replaces a file:"
            " leave out --observer and --overwrite"
        )
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no such folder. With --each-observer, OUT_FILE is the"
            " folder the kits go to: make it first"
        )
    with _open(args.hq_file, readonly=True) as hq:
        observers = [o.name for o in list_observers(hq)]
    if not observers:
        raise InputError(
            f"{args.hq_file} has no observers yet: add them first, or make kits"
            " one by one with --observer"
        )
    made, there = make_kits(Path(args.hq_file), folder, observers, regions=args.region or ())
    for path in made:
        _out(f"Wrote the kit {path}")
    for path in there:
        _out(f"Left alone: {path} is there already")
    _out(f"{_n(len(made), 'kit')} written, one per observer, to {folder}")
    return 0


def cmd_kits(args: argparse.Namespace) -> int:
    from db.kit import list_kits

    with _open(args.file, readonly=True) as mission:
        kits = list_kits(mission)
    if args.json:
        _json([k.as_dict() for k in kits])
        return 0
    if not kits:
        _out("No kit made from this file yet.")
        return 0
    width = max([len(k.file_name) for k in kits] + [4])
    who = max([len(k.observer or "-") for k in kits] + [8])
    backs = [
        f"{k.last_back} ({_n(k.files_back, 'file')})" if k.last_back else "not yet" for k in kits
    ]
    back_width = max([len(b) for b in backs] + [18])
    _out(
        f"{'MADE AT':<20}  {'FILE':<{width}}  {'OBSERVER':<{who}}  {'STATIONS':>8} {'REPORTS':>7}"
        f"  {'BACK (last merged)':<{back_width}}  REGIONS"
    )
    for k, back in zip(kits, backs, strict=True):
        regions = ", ".join(k.regions) or "all"
        _out(
            f"{k.made_at:<20}  {k.file_name:<{width}}  {k.observer or '-':<{who}}"
            f"  {k.stations:>8} {k.reports:>7}  {back:<{back_width}}  {regions}"
        )
    missing = [k for k in kits if not k.files_back]
    _out(
        f"{_n(len(kits), 'kit')} made; {len(kits) - len(missing)} back, {len(missing)} not yet"
        + (": " + ", ".join(k.observer or k.file_name for k in missing) if missing else "")
    )
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from db.kit import send_file

    out = send_file(Path(args.file), Path(args.out_file), overwrite=args.overwrite)
    _out(f"Wrote {out} (checked); hand this file over to be merged")
    return 0


def cmd_merge_log(args: argparse.Namespace) -> int:
    from db.merge import merge_log

    with _open(args.file, readonly=True) as mission:
        logged = merge_log(mission)
    if args.json:
        _json([m.as_dict() for m in logged])
        return 0
    if not logged:
        _out("No file merged yet.")
        return 0
    width = max([len(m.file_name) for m in logged] + [4])
    _out(
        f"{'MERGED AT':<20}  {'FILE':<{width}}  {'NEW':>5} {'NEWER':>5} {'SAME':>5} {'OLDER':>5}"
        f" {'CONFLICTS':>9}  {'OUTCOME':<11}  SHA-256"
    )
    for m in logged:
        counts = (
            f"{'-':>5} {'-':>5} {'-':>5} {'-':>5} {'-':>9}"
            if m.outcome == "refused"
            else f"{m.reports_new:>5} {m.reports_newer:>5} {m.reports_unchanged:>5}"
            f" {m.reports_older:>5} {m.conflicts:>9}"
        )
        _out(
            f"{m.merged_at:<20}  {m.file_name:<{width}}  {counts}  {m.outcome:<11}"
            f"  {m.sha256 or '-'}"
        )
        if m.reason:
            _out(f"    {m.reason}")
        also = [
            f"{_n(m.forms_added, 'form')} added" if m.forms_added else "",
            f"{_n(m.stations_added, 'station')} added" if m.stations_added else "",
            f"{_n(m.stations_differing, 'station')} differing from the registry (kept)"
            if m.stations_differing
            else "",
        ]
        if any(also):
            _out("    " + "; ".join(a for a in also if a))
    _out(f"{_n(len(logged), 'merge')} logged")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from db.merge import merge

    sources = [Path(s) for s in args.sources]
    with _open(args.target, readonly=args.dry_run) as mission:
        result = merge(mission, sources, dry_run=args.dry_run)
    if args.json:
        _json([s.as_dict() for s in result.sources])
        return 1 if result.refused else 0
    width = max([len(s.name) for s in result.sources] + [4])
    _out(
        f"{'FILE':<{width}}  {'NEW':>5} {'NEWER':>5} {'SAME':>5} {'OLDER':>5} "
        f"{'CONFLICTS':>9}  OUTCOME"
    )
    for s in result.sources:
        if s.outcome in ("refused", "skipped"):
            _out(f"{s.name:<{width}}  {'-':>5} {'-':>5} {'-':>5} {'-':>5} {'-':>9}  {s.outcome}")
            for p in s.problems:
                where = f"{p.where}: " if p.where and p.where != s.name else ""
                _out(f"    {p.code}: {where}{p.what} {p.fix}".rstrip())
            continue
        _out(
            f"{s.name:<{width}}  {s.reports_new:>5} {s.reports_newer:>5} "
            f"{s.reports_unchanged:>5} {s.reports_older:>5} {s.conflicts:>9}  {s.outcome}"
        )
        for form in s.forms_added:
            _out(f"    form {form}: added")
        for form in s.forms_differing:
            _out(f"    form {form}: differs from this mission's; this mission's kept")
        if s.stations_added:
            _out(f"    {_n(s.stations_added, 'station')} added")
        if s.stations_differing:
            differing = len(s.stations_differing)
            codes = ", ".join(s.stations_differing[:10])
            more = differing - 10
            _out(
                f"    {_n(differing, 'station')} {_en(differing, 'differs', 'differ')}"
                " from this mission's registry"
                f" (kept as they are here): {codes}" + (f" and {more} more" if more > 0 else "")
            )
    refused = len(result.refused)
    verb = "would be merged" if args.dry_run else "merged"
    _out(
        f"{len(result.sources) - refused} of {_n(len(result.sources), 'file')} {verb}"
        + (f"; {refused} refused" if refused else "")
        + ("; dry run: nothing was written" if args.dry_run else "")
    )
    return 1 if refused else 0


# -- the parser -----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="pollcheck",
        description="Pollcheck: election observation checklists, offline. Without a "
        "subcommand, opens the desktop program (on FILE if given).",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str, fn: Callable[[argparse.Namespace], int], help_: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        sp: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=fn)
        return sp

    new = command("new", cmd_new, "create a new mission file")
    new.add_argument("file", metavar="FILE")
    new.add_argument("--title", required=True, help="the mission's title")
    new.add_argument(
        "--template",
        action="append",
        choices=list(TEMPLATES),
        help="add a built-in form (repeatable)",
    )
    new.add_argument(
        "--form", action="append", metavar="FORM.xlsx", help="add an XLSForm workbook (repeatable)"
    )
    new.add_argument("--country")
    new.add_argument("--election-date", metavar="YYYY-MM-DD")

    info = command("info", cmd_info, "the mission, its forms, counts of stations and reports")
    info.add_argument("file", metavar="FILE")
    info.add_argument("--json", action="store_true")

    forms = command("forms", lambda a: _help(forms), "forms of a mission and built-in templates")
    fsub = forms.add_subparsers(dest="forms_command", metavar="COMMAND", parser_class=_Parser)
    ft = command("templates", cmd_forms_templates, "the built-in templates", fsub)
    ft.add_argument("--json", action="store_true")
    fa = command("add", cmd_forms_add, "add a form, or a new version of one already there", fsub)
    fa.add_argument("file", metavar="FILE")
    fa.add_argument("workbook", metavar="FORM.xlsx")
    fl = command("list", cmd_forms_list, "the forms of a mission, every version", fsub)
    fl.add_argument("file", metavar="FILE")
    fl.add_argument("--json", action="store_true")
    fe = command("export", cmd_forms_export, "the form's workbook, to edit and add again", fsub)
    fe.add_argument("file", metavar="FILE")
    fe.add_argument("form_id", metavar="FORM_ID")
    fe.add_argument("out", metavar="OUT.xlsx")
    fe.add_argument("--version", help="a particular version (default: the latest)")

    stations = command("stations", lambda a: _help(stations), "the station registry")
    ssub = stations.add_subparsers(dest="stations_command", metavar="COMMAND", parser_class=_Parser)
    si = command(
        "import",
        cmd_stations_import,
        "import or update stations from a CSV or XLSX table (all rows or none)",
        ssub,
    )
    si.add_argument("file", metavar="FILE")
    si.add_argument("table", metavar="TABLE.csv|.xlsx")
    si.add_argument("--encoding", help="the CSV's encoding, e.g. cp1251 (default: detected)")
    sl = command("list", cmd_stations_list, "list stations", ssub)
    sl.add_argument("file", metavar="FILE")
    sl.add_argument("--region")
    sl.add_argument("--district")
    sl.add_argument("--search", help="text in code, number, name, address, region or district")
    sl.add_argument("--json", action="store_true")

    observers = command(
        "observers", lambda a: _help(observers), "the observers (roster) kits are made for"
    )
    osub = observers.add_subparsers(
        dest="observers_command", metavar="COMMAND", parser_class=_Parser
    )
    oi = command(
        "import",
        cmd_observers_import,
        "add observers from a CSV or XLSX roster: a column 'name', a column 'team' if you like"
        " (all rows or none)",
        osub,
    )
    oi.add_argument("file", metavar="FILE")
    oi.add_argument("table", metavar="TABLE.csv|.xlsx")
    oi.add_argument("--encoding", help="the CSV's encoding, e.g. cp1251 (default: detected)")
    ol = command("list", cmd_observers_list, "list observers", osub)
    ol.add_argument("file", metavar="FILE")
    ol.add_argument("--json", action="store_true")

    reports = command("reports", lambda a: _help(reports), "reports of a mission")
    rsub = reports.add_subparsers(dest="reports_command", metavar="COMMAND", parser_class=_Parser)
    ri = command(
        "import",
        cmd_reports_import,
        "import reports from a sheet, one row per report (all rows or none)",
        rsub,
    )
    ri.add_argument("file", metavar="FILE")
    ri.add_argument("table", metavar="TABLE.xlsx|.csv")
    ri.add_argument("--form", required=True, metavar="FORM_ID")
    ri.add_argument("--encoding", help="the CSV's encoding (default: detected)")
    ri.add_argument("--observer", help="observer for rows that name none")
    rl = command("list", cmd_reports_list, "list reports", rsub)
    rl.add_argument("file", metavar="FILE")
    rl.add_argument("--form", metavar="ID")
    rl.add_argument("--station", metavar="CODE")
    rl.add_argument("--status", choices=["draft", "complete"])
    rl.add_argument("--include-deleted", action="store_true")
    rl.add_argument("--json", action="store_true")
    rs = command("show", cmd_reports_show, "one report's answers (and history)", rsub)
    rs.add_argument("file", metavar="FILE")
    rs.add_argument("uuid", metavar="UUID")
    rs.add_argument("--history", action="store_true")
    rs.add_argument("--language", metavar="CODE")
    rs.add_argument("--json", action="store_true")

    analysis.register(sub, command)
    exporting.register(sub, command)

    kit = command(
        "kit",
        cmd_kit,
        "an observer's copy of the mission: forms, stations, no other observers' reports",
    )
    kit.add_argument("hq_file", metavar="HQ_FILE")
    kit.add_argument("out_file", metavar="OUT_FILE")
    kit.add_argument("--observer", metavar="NAME", help="keep this observer's reports (only)")
    kit.add_argument(
        "--region", action="append", metavar="R", help="stations of this region only (repeatable)"
    )
    kit.add_argument("--overwrite", action="store_true", help="replace OUT_FILE if it exists")
    kit.add_argument(
        "--each-observer",
        action="store_true",
        help="one kit per observer of the mission, in the folder OUT_FILE"
        " ('<observer> kit.pollcheck'; files there already are left alone)",
    )

    send = command(
        "send", cmd_send, "a checked single-file copy to hand over (safe while the file is open)"
    )
    send.add_argument("file", metavar="FILE")
    send.add_argument("out_file", metavar="OUT_FILE")
    send.add_argument("--overwrite", action="store_true", help="replace OUT_FILE if it exists")

    merge = command(
        "merge", cmd_merge, "merge observers' or regions' files into TARGET (exit 1 if any refused)"
    )
    merge.add_argument("target", metavar="TARGET")
    merge.add_argument("sources", metavar="SOURCE", nargs="+")
    merge.add_argument(
        "--dry-run", action="store_true", help="say what would happen; write nothing"
    )
    merge.add_argument("--json", action="store_true")

    kits = command(
        "kits",
        cmd_kits,
        "the kits made from FILE, and whether a file has come back from each",
    )
    kits.add_argument("file", metavar="FILE")
    kits.add_argument("--json", action="store_true")

    log = command(
        "merge-log",
        cmd_merge_log,
        "the files merged into FILE (and those refused): when, their SHA-256, the counts",
    )
    log.add_argument("file", metavar="FILE")
    log.add_argument("--json", action="store_true")

    demo = command("demo", cmd_demo, "make the demo mission (synthetic data, marked as such)")
    demo.add_argument("file", metavar="FILE")
    demo.add_argument("--stations", type=int, default=300)
    demo.add_argument("--reports", type=int, default=400)
    demo.add_argument("--seed", type=int, default=2005)
    return p


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pollcheck")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; returns the exit code (0 ok, 1 the user's problem, 3 a bug)."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if getattr(args, "func", None) is None:
        build_parser().print_help(sys.stderr)
        return 1
    try:
        return int(args.func(args))
    except PollcheckError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`pollcheck … | head`): not an error of ours or the user's.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except Exception:
        log = _write_crash_log()
        print(
            "Pollcheck hit an internal error (a bug, not your mistake). Nothing was sent "
            f"anywhere; the details are in {log}.",
            file=sys.stderr,
        )
        return 3


def _write_crash_log() -> Path | str:
    text = traceback.format_exc()
    try:
        folder = config_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "pollcheck-cli.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        return path
    except OSError:
        print(text, file=sys.stderr)
        return "the text above"


if __name__ == "__main__":
    raise SystemExit(main())
