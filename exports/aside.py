"""An export's figures and checks, worked out by a second process while the export goes on.

Both exports need the tabulation and the quality checks (:func:`db.checks.run_checks`, which
validate every complete report again: merged files are not trusted): seconds for tens of
thousands of reports, most of an export's own work beside writing the file. On a large
mission and a machine with an idle core, the export starts a second process that works them
out from the mission file (read-only, as a second reader of SQLite), and takes the results
when it needs them:

- the workbook needs the tabulation and the checks in its last sheets only: the second
  process works out both while the sheets of reports (the longest part) are written;
- the findings report needs them right away: the second process runs only the rules check
  (validating every report: most of the checks' time) while this one tabulates and runs the
  other checks.

What to do goes to the second process on its standard input; the results come back on its
standard output, pickled, all at once when it is done: pipes, never a file, so nothing of the
mission is left on disk if the export is killed. Whatever goes wrong with the second process
(it cannot start, the file cannot be read there, it dies), the work is done in the export's
own process: the same result, later, and a real error is met there.

The second process is this module run as a program (``python -m exports.aside``), or the
frozen program itself with CHILD_FLAG (gui/launcher.py hands it over). Not
``multiprocessing``: its ``spawn`` imports the caller's main script again in the child, which
would run a script without an ``if __name__ == "__main__"`` guard (a mission's own export
script) a second time.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from db.checks import CheckReport, Finding, broken_rules, run_checks
from db.forms import list_forms
from db.mission import Mission, open_mission
from db.tabulate import Filters, Tabulation, tabulate

# From this many reports on, the work (about 0.1 ms a report for the checks) takes long enough
# to pay for starting a second process (about 0.3 s of the other core).
ASIDE_FROM = 5_000
CHILD_FLAG = "--pollcheck-aside"
# What the second process can do: the tabulation, every check, or the rules check alone.
JOBS = ("tabulation", "checks", "rules")


class Aside:
    """The tabulation and checks of one export. ``jobs`` (of JOBS) are started in a second
    process when the mission is large and a core is idle (or when ``aside`` says so);
    :meth:`tabulation` and :meth:`checks` give the results, from there or worked out here.
    A context manager, so that a second process whose results are not taken (the export
    failed or was cancelled) is stopped."""

    def __init__(
        self,
        mission: Mission,
        *,
        form_id: str,
        language: str,
        jobs: Sequence[str],
        filters: Filters | None = None,
        aside: bool | None = None,
    ) -> None:
        assert set(jobs) <= set(JOBS), jobs
        self.mission = mission
        self.form_id = form_id
        self.language = language
        self.filters = filters or Filters()
        self.jobs = tuple(jobs)
        self._process: subprocess.Popen[bytes] | None = None
        self._results: dict[str, Any] | None = None
        if aside is None:
            reports = sum(f.reports for f in list_forms(mission) if f.form_id == form_id)
            aside = reports >= ASIDE_FROM and idle_core()
        if aside and sys.executable:  # no interpreter to start when Python is embedded
            self._start()

    @property
    def aside(self) -> bool:
        """Whether a second process was started."""
        return self._process is not None or self._results is not None

    def _start(self) -> None:
        request = {
            "path": str(self.mission.path),
            "form_id": self.form_id,
            "language": self.language,
            "filters": self.filters,
            "jobs": self.jobs,
        }
        try:
            self._process = subprocess.Popen(  # noqa: S603 - our own module, no arguments
                _command(),
                env=_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
            assert self._process.stdin is not None
            with self._process.stdin as stdin:
                stdin.write(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # no second process to be had: the work is done here
            self.close()

    def tabulation(self) -> Tabulation:
        """The tabulation of the export's form (by region, with its filters)."""
        found = self._result("tabulation")
        if isinstance(found, Tabulation):
            return dataclasses.replace(found, _mission=self.mission)
        return tabulate(self.mission, self.form_id, filters=self.filters, language=self.language)

    def checks(self, answers: Mapping[str, dict[str, Any]] | None = None) -> CheckReport:
        """The quality checks of the form's reports. ``answers``: as for :func:`run_checks`,
        used by the checks worked out here."""
        if "checks" in self.jobs:
            found = self._result("checks")
            if isinstance(found, CheckReport):
                return found
        rules: Callable[[], list[Finding] | None] | None = None
        if "rules" in self.jobs:
            # The other checks run here now, then take the rules check's findings from the
            # second process (None: it failed or never ran, and the reports are validated here).
            rules = self._rules
        return run_checks(
            self.mission,
            form_id=self.form_id,
            language=self.language,
            answers=answers,
            rules=rules,
        )

    def _rules(self) -> list[Finding] | None:
        found = self._result("rules")
        if isinstance(found, list) and all(isinstance(f, Finding) for f in found):
            return found
        return None

    def _result(self, job: str) -> Any:
        """What the second process gave for ``job`` (waiting for it if need be); None if it
        failed or never ran."""
        if self._results is None and self._process is not None:
            self._results = self._collect()
        return (self._results or {}).get(job)

    def _collect(self) -> dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        try:
            out = self._process.stdout.read()
            if self._process.wait() != 0:
                return {}
            results = pickle.loads(out)  # noqa: S301 - our own child process, through a pipe
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            return {}
        finally:
            self.close()
        return results if isinstance(results, dict) else {}

    def close(self) -> None:
        """Stop the second process, if it still runs."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def __enter__(self) -> Aside:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def idle_core() -> bool:
    """Whether a core seems idle for a second process: the system's load over the last minute
    (this process's own included) leaves one. On a busy machine the two processes would share
    a core, and the exports were measured no quicker (the findings report slower). Without a
    load average (Windows): when there are several cores."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores > 1
    return load < cores - 0.5


def _command() -> list[str]:
    """The second process's command line."""
    if getattr(sys, "frozen", False):  # PyInstaller: the program itself, see gui/launcher.py
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "exports.aside"]


def _environment() -> dict[str, str]:
    """This process's environment, with its module search path: the second process imports
    Pollcheck from where this one did."""
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def work(request: Mapping[str, Any]) -> dict[str, Any]:
    """The second process's work: each job of ``request`` done on its mission file, opened
    read-only. A job that fails gives None (the export does it itself and meets the error)."""
    results: dict[str, Any] = {}
    path, form_id, language = Path(request["path"]), request["form_id"], request["language"]
    with open_mission(path, readonly=True) as mission:
        for job in request["jobs"]:
            try:
                if job == "tabulation":
                    tab = tabulate(mission, form_id, filters=request["filters"], language=language)
                    results[job] = dataclasses.replace(tab, _mission=None)  # not picklable
                elif job == "checks":
                    results[job] = run_checks(mission, form_id=form_id, language=language)
                elif job == "rules":
                    results[job] = broken_rules(mission, form_id=form_id, language=language)
            except Exception:  # this job is done by the export itself
                results[job] = None
    return results


def main() -> int:
    """The second process: read what to do from standard input, write the results to standard
    output, both pickled. Exits 1 if the mission file cannot be read at all."""
    try:
        stdin = sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb")
        request = pickle.loads(stdin.read())  # noqa: S301 - from the export that started us
        data = pickle.dumps(work(request), protocol=pickle.HIGHEST_PROTOCOL)
        out = sys.stdout.buffer if sys.stdout is not None else os.fdopen(1, "wb")
        out.write(data)
        out.flush()
    except Exception:  # anything: the export does the work itself
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
