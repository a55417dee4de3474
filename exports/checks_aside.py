"""The quality checks of a large export, run by a second process while the export goes on.

Both exports print the quality checks (:func:`db.checks.run_checks`), which validate every
complete report again (merged files are not trusted): seconds for tens of thousands of
reports, most of an export's own work beside writing the file. On a large mission and a
machine with an idle core, the export starts a second process that runs the checks on
the mission file (read-only, as a second reader of SQLite), and collects their result when it
needs it:

- the workbook needs the checks in its last sheets only: the second process runs every check
  while the sheets of reports (the longest part) are written;
- the findings report needs them right after the tabulation: the second process runs only the
  rules check (validating every report: most of the checks' time) while this one tabulates and
  runs the other checks.

The result comes back through the second process's standard output, a pipe, never a file:
nothing of the mission is left on disk if the export is killed. Whatever goes wrong with the
second process (it cannot start, the file cannot be read there, it dies), the checks run in
the export's own process: the same result, later, and a real error is met there.

The second process is this module run as a program (``python -m exports.checks_aside``), or
the frozen program itself with CHILD_FLAG first (gui/launcher.py hands it over). Not
``multiprocessing``: its ``spawn`` imports the caller's main script again in the child, which
would run a script without an ``if __name__ == "__main__"`` guard (a mission's own export
script) a second time.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from db.checks import CheckReport, Finding, broken_rules, run_checks
from db.mission import Mission, open_mission

# From this many reports on, the checks (about 0.1 ms a report) take long enough to pay for
# starting a second process (about 0.3 s of the other core).
ASIDE_FROM = 5_000
CHILD_FLAG = "--pollcheck-checks-aside"


class ChecksAside:
    """The quality checks of one export: started in a second process when the mission is
    large and a core is idle (or when ``aside`` says so), collected with
    :meth:`result`. With ``rules_only``, the second process runs the rules check alone. A
    context manager, so that a second process whose result is not collected (the export
    failed or was cancelled) is stopped."""

    def __init__(
        self,
        mission: Mission,
        *,
        form_id: str,
        language: str,
        rules_only: bool = False,
        aside: bool | None = None,
    ) -> None:
        self.mission = mission
        self.form_id = form_id
        self.language = language
        self.rules_only = rules_only
        self._process: subprocess.Popen[bytes] | None = None
        if aside is None:
            aside = _reports(mission, form_id) >= ASIDE_FROM and idle_core()
        if aside and sys.executable:  # no interpreter to start when Python is embedded
            try:
                self._process = subprocess.Popen(  # noqa: S603 - our own module and arguments
                    _command(
                        ["rules" if rules_only else "checks", str(mission.path), form_id, language]
                    ),
                    env=_environment(),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
                )
            except OSError:  # no second process to be had: the checks run here
                self._process = None

    @property
    def aside(self) -> bool:
        """Whether a second process runs the checks."""
        return self._process is not None

    def result(self, answers: Mapping[str, dict[str, Any]] | None = None) -> CheckReport:
        """The checks' result. ``answers``: as for :func:`run_checks`, used if the checks run
        here after all."""
        if self.rules_only:
            # The other checks run here now, then take the rules check's findings from the
            # second process (None: it failed or never ran, and the reports are validated here).
            return run_checks(
                self.mission,
                form_id=self.form_id,
                language=self.language,
                answers=answers,
                rules=self._rules,
            )
        report = self._collect()
        if not isinstance(report, CheckReport):
            report = run_checks(
                self.mission, form_id=self.form_id, language=self.language, answers=answers
            )
        return report

    def _rules(self) -> list[Finding] | None:
        found = self._collect()
        if isinstance(found, list) and all(isinstance(f, Finding) for f in found):
            return found
        return None

    def _collect(self) -> Any:
        """What the second process found, once it is done; None if it failed or never ran."""
        if self._process is None:
            return None
        try:
            out, _ = self._process.communicate()
            if self._process.returncode != 0:
                return None
            return pickle.loads(out)  # noqa: S301 - our own child process, through a pipe
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the second process, if it still runs."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def __enter__(self) -> ChecksAside:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _reports(mission: Mission, form_id: str) -> int:
    row = mission.conn.execute(
        "SELECT count(*) FROM reports WHERE form_id = ? AND deleted = 0", (form_id,)
    ).fetchone()
    return int(row[0])


def idle_core() -> bool:
    """Whether a core seems idle for a second process: the system's load over the last minute
    (this process's own included) leaves one. On a busy machine the two processes would share
    a core, and the export was measured no quicker (slower, for the findings report). Without
    a load average (Windows): when there are several cores."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores > 1
    return load < cores - 0.5


def _command(args: Sequence[str]) -> list[str]:
    """The second process's command line."""
    if getattr(sys, "frozen", False):  # PyInstaller: the program itself, see gui/launcher.py
        return [sys.executable, CHILD_FLAG, *args]
    return [sys.executable, "-m", "exports.checks_aside", *args]


def _environment() -> dict[str, str]:
    """This process's environment, with its module search path: the second process imports
    Pollcheck from where this one did."""
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def main(argv: Sequence[str]) -> int:
    """The second process: run the checks (``checks``) or the rules check alone (``rules``) on
    the mission file and write what they found to standard output, pickled. Exits 1 if
    anything goes wrong (the export then runs them itself and meets the error)."""
    what, path, form_id, language = argv
    try:
        with open_mission(Path(path), readonly=True) as mission:
            if what == "rules":
                found: Any = broken_rules(mission, form_id=form_id, language=language)
            else:
                found = run_checks(mission, form_id=form_id, language=language)
        data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        out = sys.stdout.buffer if sys.stdout is not None else os.fdopen(1, "wb")
        out.write(data)
        out.flush()
    except Exception:  # any failure here means "run them in the export"
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
