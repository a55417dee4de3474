"""The `pollcheck` entry point: subcommands go to the command line, else the window opens."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from db.mission import SUFFIX

# exports.aside.CHILD_FLAG, written out: that module is imported only when needed.
CHILD_FLAG = "--pollcheck-aside"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == [CHILD_FLAG]:
        # The frozen program started again by an export, to work out its figures and checks.
        from exports.aside import main as aside

        return aside()
    if _plainly_the_window(args):
        # Fast path: the command line (and the XLSForm reader it imports) is not loaded at all,
        # so the window opens sooner. Decides exactly as below would.
        from gui.app import run

        return run(args[0] if args else None)
    # Qt is imported only when the window opens, so scripted subcommands start fast.
    from cli.main import COMMANDS
    from cli.main import main as cli_main

    if args and (args[0] in COMMANDS or args[0].startswith("-")):
        return cli_main(args)
    if len(args) > 1 or (args and _mistyped_command(args[0])):
        return cli_main(args)  # unknown subcommand: argparse says so clearly
    from gui.app import run

    return run(args[0] if args else None)


def _plainly_the_window(args: list[str]) -> bool:
    """No argument, or one mission file (``*.pollcheck``): never a subcommand or an option."""
    if not args:
        return True
    return (
        len(args) == 1
        and not args[0].startswith("-")
        and args[0].lower().endswith(SUFFIX)  # no subcommand has a suffix
    )


def _mistyped_command(arg: str) -> bool:
    """``pollcheck tabulte``: not a file, no path or suffix -- a subcommand, mistyped."""
    path = Path(arg)
    return not path.exists() and not path.suffix and len(path.parts) == 1


if __name__ == "__main__":
    raise SystemExit(main())
