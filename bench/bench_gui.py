"""The desktop program on the election-day template: opening a report, saving an answer, starting.

Medians of many runs, offscreen. Start-up is compared with a bare PySide6 window started the same
way in the same run (interleaved), because this machine is shared and absolute times are noisy.

    .venv/bin/python bench/bench_gui.py [RUNS]

Targets (issue): open a report <= 150 ms; one answer to committed <= 20 ms; program start to a
usable window <= 1.5 x a bare PySide6 window.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 720)
window.show()
QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
app.exec()
"""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _spawn_until_ready(args: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its line ``ready`` (a usable window)."""
    start = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{args} never said ready")
    proc.stdout.read()  # until it quits
    proc.stdout.close()
    proc.wait(30)
    return elapsed


def bench_start(demo: Path, folder: Path, runs: int) -> tuple[float, float]:
    config = folder / "config"
    config.mkdir(exist_ok=True)
    script = folder / "start.json"
    script.write_text(json.dumps({"quit": True}), encoding="utf-8")
    env = {
        **os.environ,
        # As installed (pip or the frozen bundle): modules come from compiled bytecode. The
        # caches go to a temporary folder, not beside the sources.
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
        "QT_QPA_PLATFORM": "offscreen",
        "POLLCHECK_CONFIG_DIR": str(config),
        "POLLCHECK_TEST_SCRIPT": str(script),
        "POLLCHECK_NO_ERR_WINDOWS": "1",
    }
    from gui.settings import Settings

    settings = Settings(config / "settings.ini")
    settings.observer = "Bench"
    settings.language = "en"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_args = [sys.executable, "-c", BARE]
    ours_args = [sys.executable, "-m", "gui.launcher", str(demo)]
    for args in (bare_args, ours_args):  # warm the disk cache and .pyc files
        _spawn_until_ready(args, env)
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        bare.append(_spawn_until_ready(bare_args, env))
        ours.append(_spawn_until_ready(ours_args, env))
    return statistics.median(bare), statistics.median(ours)


def bench_in_process(demo: Path, runs: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from db.reports import list_reports
    from gui.main_window import MainWindow
    from gui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = Settings()
    settings.observer = "Bench"
    settings.language = "en"

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    # Opening a report the first time in a window (the form's widgets are built then), at its
    # first section and, as after a crash, at its largest (Voting, 30 questions)...
    cold: list[float] = []
    cold_large: list[float] = []
    uuids: list[str] = []
    for i in range(2 * max(5, runs // 4)):
        window = MainWindow(settings)
        window.resize(1366, 768)
        window.show()
        window.open_file(demo)
        settle()
        if not uuids:
            assert window.session is not None
            uuids = [r.uuid for r in list_reports(window.session.mission, form_id="eday")]
        large = i % 2 == 1
        start = time.perf_counter()
        window.open_report(uuids[i], 3 if large else None)
        settle()
        (cold_large if large else cold).append(time.perf_counter() - start)
        window.report_page.close_report()
        window.close()
        window.deleteLater()
        settle()
    # ... and each later time (the widgets are reused, filled with the report's answers).
    window = MainWindow(settings)
    window.resize(1366, 768)
    window.show()
    window.open_file(demo)
    window.open_report(uuids[0])
    settle()
    warm: list[float] = []
    for uuid in uuids[1 : runs + 1]:
        start = time.perf_counter()
        window.open_report(uuid)
        settle()
        warm.append(time.perf_counter() - start)

    # One answer: the edit (validation, skip logic, messages) and the save to committed.
    page = window.report_page
    entry = page.entry
    assert entry is not None
    edit: list[float] = []
    commit: list[float] = []
    for i in range(runs):
        start = time.perf_counter()
        entry.set_answer(("comments",), f"Seen at {i}")
        middle = time.perf_counter()
        assert page.save_now()
        end = time.perf_counter()
        edit.append(middle - start)
        commit.append(end - middle)
    total = [a + b for a, b in zip(edit, commit, strict=True)]
    window.close()
    return {
        "open_cold": statistics.median(cold),
        "open_cold_large": statistics.median(cold_large),
        "open_warm": statistics.median(warm),
        "edit": statistics.median(edit),
        "commit": statistics.median(commit),
        "answer": statistics.median(total),
    }


def main(runs: int = 40) -> None:
    from db.demo import make_demo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["POLLCHECK_CONFIG_DIR"] = str(folder / "inproc")
        demo = folder / "demo.pollcheck"
        make_demo(demo, stations=300, reports=400)
        figures = bench_in_process(demo, runs)
        bare, ours = bench_start(demo, folder, max(10, runs // 3))
    print(f"open a report, first in a window:  {_ms(figures['open_cold'])}  (target <= 150 ms)")
    print(f"  ... at its largest section:      {_ms(figures['open_cold_large'])}")
    print(f"open a report, later:              {_ms(figures['open_warm'])}")
    print(f"one answer: edit (validate, show)  {_ms(figures['edit'])}")
    print(f"one answer: save to committed      {_ms(figures['commit'])}")
    print(f"one answer: typed to committed     {_ms(figures['answer'])}  (target <= 20 ms)")
    print(f"start, bare PySide6 window:        {_ms(bare)}")
    print(f"start, Pollcheck on the demo:      {_ms(ours)}")
    print(f"start ratio:                       {ours / bare:.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
