"""`pollcheck export xlsx` and `export pdf`: the workbook and the PDFs of a form's reports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.analysis import add_filter_arguments, filters_from
from db.mission import open_mission
from exports.pdf import export_pdf
from exports.xlsx import export_xlsx


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    if not getattr(args, "progress", False):
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    with open_mission(args.file, readonly=True) as mission:
        out = export_xlsx(
            mission,
            Path(args.out),
            form_id=args.form,
            language=args.language,
            values=args.values,
            filters=filters_from(args),
            progress=_progress(args),
        )
    print(f"Wrote {out}")
    return 0


def cmd_export_pdf(args: argparse.Namespace) -> int:
    with open_mission(args.file, readonly=True) as mission:
        out = export_pdf(
            mission,
            Path(args.out),
            kind=args.kind,
            form_id=args.form,
            stations=tuple(args.station or ()),
            language=args.language,
            filters=filters_from(args),
            progress=_progress(args),
        )
    print(f"Wrote {out}")
    return 0


def _common(p: argparse.ArgumentParser, out: str) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument("out", metavar=out)
    p.add_argument("--form", required=True, metavar="FORM_ID")
    p.add_argument("--language", metavar="CODE", help="labels in this language of the form")
    add_filter_arguments(p)
    p.add_argument("--progress", action="store_true", help="show progress on stderr")


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add `export` and its subcommands to the `pollcheck` parser."""
    export = command("export", lambda a: _help(export), "the Excel workbook or a PDF", sub)
    esub = export.add_subparsers(
        dest="export_command", metavar="COMMAND", parser_class=type(export)
    )
    x = command(
        "xlsx",
        cmd_export_xlsx,
        "one workbook: reports, findings, by region, coverage, checks, stations",
        esub,
    )
    _common(x, "OUT.xlsx")
    x.add_argument(
        "--values",
        choices=["labels", "codes"],
        default="labels",
        help="choices as labels (default) or as their names",
    )
    p = command("pdf", cmd_export_pdf, "station summaries or the findings report", esub)
    _common(p, "OUT.pdf")
    p.add_argument("--kind", required=True, choices=["stations", "findings"])
    p.add_argument(
        "--station",
        action="append",
        metavar="CODE",
        help="only this station's reports (repeatable; stations kind)",
    )


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1
