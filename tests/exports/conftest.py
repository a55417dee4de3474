"""A small mission for the exporters: every question type, a repeat, findings, hostile text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.forms import add_form
from db.mission import Mission
from db.reports import create_report
from db.stations import Station, add_station

FORM = """
| survey |
|  | type | name | label::English (en) | label::Russian (ru) | relevant | finding | calculation |
|  | begin_group | access | Access | Доступ | | | |
|  | select_one yn | sealed | Box sealed? | Урна опечатана? | | . = 'no' | |
|  | select_multiple who | present | Who was present? | Кто присутствовал? | | selected(., 'police') | |
|  | end_group | | | | | | |
|  | integer | added | Voters added | Добавлено избирателей | | . > 100 | |
|  | decimal | share | Share | Доля | | | |
|  | date | day | Day of the visit | День посещения | | | |
|  | datetime | seen | Seen at | Время | | | |
|  | time | arrival | Arrival | Прибытие | | | |
|  | calculate | double | Twice added | Дважды | | | ${added} * 2 |
|  | text | comment | Comment | Комментарий | | | |
|  | begin_repeat | problems | Problems | Проблемы | | | |
|  | select_one cat | category | Category | Категория | | . = 'violence' | |
|  | text | what | What happened | Что произошло | | | |
|  | end_repeat | | | | | | |
| choices |
|  | list_name | name | label::English (en) | label::Russian (ru) |
|  | yn | yes | Yes | Да |
|  | yn | no | No | Нет |
|  | who | police | Police officers | Полиция |
|  | who | officials | Local officials | Чиновники |
|  | who | none | Nobody | Никто |
|  | cat | violence | Violence | Насилие |
|  | cat | other | Other | Другое |
| settings |
|  | form_id | version | default_language |
|  | visit | 1 | English (en) |
"""

STATIONS = [
    ("ALM-108", "108", "Almaty", "Medeu", "School №12"),
    ("ALM-361", "361", "Almaty", "Medeu", "Мектеп"),
    ("AKM-54", "54", "Akmola", "Kokshetau", "Club"),
    ("SHY-186", "186", "Шымкент", "Абай", "Қазақ мектебі"),
]
LONG = ("Очень длинный ответ наблюдателя. " * 400)[:10_000]
TOKEN = "X" * 2_000
HOSTILE = [
    '=HYPERLINK("http://evil.example/","click")',
    "@SUM(A1)",
    "+7 701 555 0101",
    "-5",
]


def report(m: Mission, code: str, answers: dict[str, Any], **kw: Any) -> str:
    kw.setdefault("observer", "Айгуль")
    kw.setdefault("status", "complete")
    kw.setdefault("started", "2005-12-04T09:00:00Z")
    return create_report(
        m, "visit", device="d", station_code=code, answers=answers, **kw
    ).report.uuid


@pytest.fixture
def visit(mission: Mission, xlsform: Callable[[str], Path]) -> Mission:
    """Four stations in three regions, five complete reports and a draft."""
    add_form(mission, xlsform(FORM))
    for code, number, region, district, name in STATIONS:
        add_station(
            mission,
            Station(code=code, number=number, region=region, district=district, name=name),
        )
    report(
        mission,
        "ALM-108",
        {
            "sealed": "no",
            "present": "police officials",
            "added": 150,
            "share": 0.25,
            "day": "2005-12-04",
            "seen": "2005-12-04T10:30:00",
            "arrival": "07:30",
            "comment": "Қазақ тілі: әғқңөұүһі — урна не опечатана.",
            "problems": [
                {"category": "violence", "what": "Толкали наблюдателя"},
                {"category": "other", "what": "<b>unclosed <img src='/etc/passwd'/>"},
            ],
        },
    )
    report(
        mission,
        "ALM-108",
        {"sealed": "yes", "present": "none", "added": 3, "comment": HOSTILE[0]},
        observer="Marat",
    )
    report(mission, "ALM-361", {"sealed": "yes", "present": "police", "comment": HOSTILE[1]})
    report(
        mission,
        "AKM-54",
        {"sealed": "no", "added": -5, "comment": HOSTILE[2], "problems": [{"what": HOSTILE[3]}]},
    )
    report(mission, "SHY-186", {"sealed": "yes", "comment": LONG + " " + TOKEN})
    report(mission, "AKM-54", {"sealed": "no"}, status="draft")
    return mission
