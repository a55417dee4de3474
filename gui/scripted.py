"""Drives the running program from a JSON script: the crash test and the start-up benchmark use it.

Enabled only by ``POLLCHECK_TEST_SCRIPT=script.json``. The script opens (or creates) a report and
enters answers through the entry widget exactly as typing does (the same signals, timers and
saves), printing one line per event to stdout, flushed at once::

    ready <report uuid>            the window is up, the mission and the report open
    entered <step> <json path>     an answer was entered (not yet saved)
    saved <revision>               a save was committed to the mission file
    done                           every step was entered and saved

Script keys: ``report`` (a uuid) or ``create`` (``{"form": id, "station": code}``); ``steps``:
``[{"path": [...], "value": v, "pause_ms": n, "leave": bool}]`` (``leave`` moves the cursor to
the next question, as Tab does); ``quit``: close the program after the last step.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from gui.app import Program


def _say(line: str) -> None:
    if sys.stdout is None:
        return
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except OSError:
        pass  # whoever listened has gone; the program goes on


class Driver:
    def __init__(self, program: Program, script: Path) -> None:
        self.program = program
        self.script: dict[str, Any] = json.loads(script.read_text(encoding="utf-8"))
        self.steps: list[dict[str, Any]] = list(self.script.get("steps", []))
        self.index = 0

    def start(self) -> None:
        QTimer.singleShot(0, self._open)

    def _open(self) -> None:
        window = self.program.window
        page = window.report_page
        page.saved.connect(lambda report: _say(f"saved {report.revision}"))
        uuid = self.script.get("report")
        create = self.script.get("create")
        if create and window.session is not None:
            report = window.session.create_report(
                create["form"], station_code=create.get("station")
            )
            uuid = report.uuid
        if uuid and not window.open_report(uuid):
            _say("error cannot open the report")
        _say(f"ready {uuid or ''}")
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        window = self.program.window
        page = window.report_page
        if self.index >= len(self.steps):
            page.save_now()
            _say("done")
            if self.script.get("quit"):
                window.close()
                self.program.app.quit()
            return
        step = self.steps[self.index]
        entry = page.entry
        if entry is not None:
            path = tuple(step["path"])
            entry.set_answer(path, step.get("value"))
            _say(f"entered {self.index} {json.dumps(step['path'], ensure_ascii=False)}")
            if step.get("leave"):
                entry.focus_path(path)
                entry.move_focus(True)
        self.index += 1
        QTimer.singleShot(int(step.get("pause_ms", 100)), self._step)
