"""Tests of db.stations: importing station lists, and listing, searching and counting stations."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import station_lists as station_lists_module
from db import stations as stations_module
from db.errors import InputError
from db.mission import Mission, create_mission
from db.station_lists import import_stations, preview_stations
from db.stations import (
    Station,
    add_station,
    districts,
    get_station,
    list_stations,
    normalise_key,
    regions,
)


@pytest.fixture
def mission(tmp_path: Path) -> Iterator[Mission]:
    m = create_mission(tmp_path / "m.pollcheck", title="Test")
    yield m
    m.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each call of now() in db.stations and db.station_lists gives the next of these times;
    yields the ones given."""
    times = (f"2025-12-0{day}T08:00:00Z" for day in itertools.count(1))
    given: list[str] = []

    def fake_now() -> str:
        given.append(next(times))
        return given[-1]

    monkeypatch.setattr(stations_module, "now", fake_now)
    monkeypatch.setattr(station_lists_module, "now", fake_now)
    yield given


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def stored(mission: Mission) -> list[tuple[Any, ...]]:
    """Every row of the stations table, every column, for before/after comparisons."""
    return mission.conn.execute("SELECT * FROM stations ORDER BY code").fetchall()


def updated_times(mission: Mission) -> dict[str, str]:
    return dict(mission.conn.execute("SELECT code, updated FROM stations").fetchall())


ENGLISH = (
    "code,number,region,district,name,address,registered_voters\n"
    "ALM-186,186,Almaty,Bostandyk,School 12,Abay st 5,1234\n"
    "SHY-186,186,Shymkent,Abay,House of Culture,Tauke khan 1,\n"
    "AKM-54,54,Akmolinskaya,Ereymentau,Club,Main st 3,870\n"
)


# -- importing ---------------------------------------------------------------------------------


def test_import__utf8_csv__stores_every_field(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "stations.csv", ENGLISH)

    result = import_stations(mission, path)

    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    assert result.encoding == "utf-8"
    assert get_station(mission, "ALM-186") == Station(
        code="ALM-186",
        number="186",
        region="Almaty",
        district="Bostandyk",
        name="School 12",
        address="Abay st 5",
        registered_voters=1234,
        attributes={},
    )
    shy = get_station(mission, "SHY-186")
    assert shy is not None
    assert shy.registered_voters is None
    assert get_station(mission, "NOPE") is None


def test_import__cp1251_csv__reads_cyrillic_regions(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(
        tmp_path / "участки.csv",
        "Код;Номер;Область;Район;Наименование;Адрес;Число избирателей\n"
        "A1;186;Алматы;Бостандыкский;Школа № 12;ул. Абая, 5;1 234\n"
        "S1;186;Шымкент;Абайский;Дом культуры;пр. Тауке хана, 1;2\u00a0001\n"
        "K1;54;Акмолинская;Ерейментауский;Клуб;с. Ерейментау;870\n",
        "cp1251",
    )

    result = import_stations(mission, path)

    assert result.encoding == "cp1251"
    assert [(s.code, s.region, s.district) for s in list_stations(mission)] == [
        ("K1", "Акмолинская", "Ерейментауский"),
        ("A1", "Алматы", "Бостандыкский"),
        ("S1", "Шымкент", "Абайский"),
    ]
    a1 = get_station(mission, "A1")
    assert a1 is not None
    assert (a1.name, a1.address, a1.registered_voters) == ("Школа № 12", "ул. Абая, 5", 1234)
    s1 = get_station(mission, "S1")
    assert s1 is not None
    assert s1.registered_voters == 2001


def test_import__utf8_bom_csv__reads_first_header(tmp_path: Path, mission: Mission) -> None:
    # With the BOM glued on, the first header would not be recognised as 'code'.
    path = write_csv(tmp_path / "s.csv", "code;number\nX1;1\n", "utf-8-sig")

    result = import_stations(mission, path)

    assert result.encoding == "utf-8-sig"
    assert get_station(mission, "X1") == Station(code="X1", number="1")


def test_import__explicit_encoding__overrides_the_guess(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "code;number;region\nX1;1;Алматы\n")

    result = import_stations(mission, path, encoding="cp1251")

    station = get_station(mission, "X1")
    assert result.encoding == "cp1251"
    assert station is not None
    assert station.region == "Алматы".encode().decode("cp1251")


def test_import__xlsx_with_int_cells__stores_text_numbers_and_int_counts(
    tmp_path: Path, mission: Mission
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Регион", "Номер", "Registered_Voters", "Phone"])
    ws.append(["Алматы", 186, 1234, 77012345678])
    ws.append(["Шымкент", 186, 0, None])
    wb.save(tmp_path / "s.xlsx")

    result = import_stations(mission, tmp_path / "s.xlsx")

    assert (result.added, result.encoding) == (2, None)
    assert get_station(mission, "АЛМАТЫ-186") == Station(
        code="АЛМАТЫ-186",
        number="186",
        region="Алматы",
        registered_voters=1234,
        attributes={"Phone": "77012345678"},
    )
    shy = get_station(mission, "ШЫМКЕНТ-186")
    assert shy is not None
    assert shy.registered_voters == 0


def test_import__again_with_changes__counts_and_stamps_only_changed_rows(
    tmp_path: Path, mission: Mission, clock: list[str]
) -> None:
    import_stations(mission, write_csv(tmp_path / "a.csv", ENGLISH))
    first = updated_times(mission)
    changed = (
        "code,number,region,district,name,address,registered_voters\n"
        "ALM-186,186,Almaty,Bostandyk,School 12,Abay st 5,1300\n"  # count changed
        "SHY-186,186,Shymkent,Abay,House of Culture,Tauke khan 1,\n"  # same
        "NEW-1,1,Almaty,Medeu,Library,Dostyk 2,500\n"  # new
    )

    result = import_stations(mission, write_csv(tmp_path / "b.csv", changed))

    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    after = updated_times(mission)
    assert after["SHY-186"] == first["SHY-186"]
    assert after["ALM-186"] == after["NEW-1"] == clock[-1] != first["ALM-186"]
    # Stations the file does not list stay as they were.
    assert after["AKM-54"] == first["AKM-54"]
    alm = get_station(mission, "ALM-186")
    assert alm is not None
    assert alm.registered_voters == 1300


def test_import__same_file_twice__changes_nothing(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "a.csv", ENGLISH)
    import_stations(mission, path)
    before = stored(mission)

    result = import_stations(mission, path)

    assert (result.added, result.updated, result.unchanged) == (0, 0, 3)
    assert stored(mission) == before


def test_import__file_without_some_columns__keeps_their_stored_values(
    tmp_path: Path, mission: Mission
) -> None:
    import_stations(mission, write_csv(tmp_path / "a.csv", ENGLISH))

    result = import_stations(
        mission, write_csv(tmp_path / "b.csv", "code,number,registered_voters\nALM-186,186,99\n")
    )

    assert (result.updated, result.unchanged) == (1, 0)
    assert get_station(mission, "ALM-186") == Station(
        code="ALM-186",
        number="186",
        region="Almaty",
        district="Bostandyk",
        name="School 12",
        address="Abay st 5",
        registered_voters=99,
    )


def test_import__problems__are_all_listed_with_rows_and_nothing_is_written(
    tmp_path: Path, mission: Mission
) -> None:
    import_stations(mission, write_csv(tmp_path / "a.csv", ENGLISH))
    before = stored(mission)
    bad = (
        "code,number,region,registered_voters\n"
        "ALM-186,186,Almaty,1300\n"  # fine on its own: must not be written either
        "NEW-1,1,Almaty,12.5\n"
        "NEW-2,,Almaty,10\n"
        "NEW-1,3,Almaty,1,234\n"
        ",4,Almaty,-3\n"
        "NEW-5,5,Almaty,many\n"
    )
    path = write_csv(tmp_path / "bad.csv", bad.replace("1,234", '"1,234"'))

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    found = [(p.code, p.where) for p in exc.value.problems]
    assert found == [
        ("S209", "bad.csv, row 3, column 'registered_voters'"),
        ("S205", "bad.csv, row 4, column 'number'"),
        ("S209", "bad.csv, row 5, column 'registered_voters'"),
        ("S210", "bad.csv, row 5, column 'code'"),
        ("S207", "bad.csv, row 6, column 'code'"),
        ("S209", "bad.csv, row 6, column 'registered_voters'"),
        ("S209", "bad.csv, row 7, column 'registered_voters'"),
    ]
    whats = [p.what for p in exc.value.problems]
    assert "'12.5'" in whats[0]
    assert "row 3" in whats[3]  # the duplicate names the other row too
    assert "'1,234'" in whats[2]
    assert "'many'" in whats[6]
    assert "nothing was imported" in exc.value.message
    assert stored(mission) == before


def test_import__unreadable_table__writes_nothing(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "code,number\nA,1\nB,2,extra\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [p.code for p in exc.value.problems] == ["T112"]
    assert stored(mission) == []


def test_preview__problems__are_returned_not_raised_and_nothing_is_written(
    tmp_path: Path, mission: Mission
) -> None:
    path = write_csv(tmp_path / "s.csv", "code,number\nA,1\nA,2\nB,\nC,3\n")

    preview = preview_stations(path, mission)

    assert [p.code for p in preview.problems] == ["S210", "S205"]
    assert [s.code for s in preview.stations] == ["A", "C"]
    assert preview.table.headers == ("code", "number")
    assert stored(mission) == []


def test_preview__number_missing__problem_in_russian_names_row_and_column(
    tmp_path: Path, mission: Mission
) -> None:
    path = write_csv(tmp_path / "stations.csv", "number,region,voters\n12,Almaty,\n,Almaty,15\n")

    (problem,) = preview_stations(path, mission).problems

    assert str(problem) == (
        "stations.csv, row 3, column 'number': the station number is missing."
        " Type the number, or delete the row."
    )
    assert problem.text("ru") == (
        "stations.csv, строка 3, столбец «number»: не указан номер участка."
        " Введите номер или удалите строку."
    )


def test_import__problems_in_russian__summary_and_every_problem(
    tmp_path: Path, mission: Mission
) -> None:
    path = write_csv(tmp_path / "s.csv", "code,number,voters\nA,1,1 234\nA,2,\nB,3,-5\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert exc.value.text("ru") == (
        "s.csv: в списке участков 2 проблемы (они перечислены ниже); ничего не загружено."
        " Исправьте их и загрузите файл снова."
    )
    assert [p.text("ru") for p in exc.value.problems] == [
        "s.csv, строка 3, столбец «code»: код «A» есть и в строке 2; у каждого участка должен"
        " быть свой код. Удалите одну из двух строк или дайте одной из них другой код.",
        "s.csv, строка 4, столбец «voters»: число избирателей «-5» не является целым числом ≥ 0"
        " (оно отрицательное). Запишите число только цифрами, например 1234 или 1 234.",
    ]


def test_preview__against_mission__sorts_codes_into_added_updated_unchanged(
    tmp_path: Path, mission: Mission
) -> None:
    import_stations(mission, write_csv(tmp_path / "a.csv", "code,number,name\nA,1,x\nB,2,y\n"))
    path = write_csv(tmp_path / "b.csv", "code,number,name\nA,1,x\nB,2,changed\nC,3,z\n")

    preview = preview_stations(path, mission)
    alone = preview_stations(path)

    assert (preview.added, preview.updated, preview.unchanged) == (("C",), ("B",), ("A",))
    assert (alone.added, alone.updated, alone.unchanged) == ((), (), ())
    assert alone.stations == preview.stations
    assert get_station(mission, "B") == Station(code="B", number="2", name="y")


# -- codes made from region and number ---------------------------------------------------------


def test_import__no_code_column__codes_from_region_and_number_keep_both_186s(
    tmp_path: Path, mission: Mission
) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        "region,number,name\n"
        "Almaty,186,School\n"
        "Shymkent,186,Club\n"
        "Алматы,186,Школа\n"
        "North Kazakhstan,12/a,Library\n",
    )

    result = import_stations(mission, path)

    assert result.added == 4
    assert sorted(s.code for s in list_stations(mission)) == [
        "ALMATY-186",
        "NORTH-KAZAKHSTAN-12-A",
        "SHYMKENT-186",
        "АЛМАТЫ-186",
    ]
    almaty = get_station(mission, "ALMATY-186")
    assert almaty is not None
    assert (almaty.region, almaty.number, almaty.name) == ("Almaty", "186", "School")


def test_import__no_code_column__same_region_and_number_twice_is_a_problem(
    tmp_path: Path, mission: Mission
) -> None:
    path = write_csv(tmp_path / "s.csv", "region,number\nAlmaty,186\nalmaty,186\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    [problem] = exc.value.problems
    assert (problem.code, problem.where) == ("S210", "s.csv, row 3, column 'number'")
    assert "ALMATY-186" in problem.what
    assert "row 2" in problem.what


def test_import__no_code_column__every_row_needs_a_region(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "region,number\nAlmaty,1\n,2\n--,3\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [(p.code, p.where) for p in exc.value.problems] == [
        ("S206", "s.csv, row 3, column 'region'"),
        ("S206", "s.csv, row 4, column 'region'"),
    ]


def test_import__neither_code_nor_region_column__is_refused(
    tmp_path: Path, mission: Mission
) -> None:
    path = write_csv(tmp_path / "s.csv", "number,name\n1,School\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [p.code for p in exc.value.problems] == ["S203"]


# -- columns -----------------------------------------------------------------------------------


def test_import__no_number_column__is_refused_once(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "code,name\nA,x\nB,y\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [(p.code, p.where) for p in exc.value.problems] == [("S202", "s.csv, row 1")]


def test_import__header_but_no_rows__is_refused(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "code,number\n\n\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [p.code for p in exc.value.problems] == ["S204"]


def test_import__empty_file__is_refused(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [p.code for p in exc.value.problems] == ["S201"]


def test_import__two_columns_for_one_field__is_refused(tmp_path: Path, mission: Mission) -> None:
    path = write_csv(tmp_path / "s.csv", "Регион;Область;Номер\nАлматы;Алматы;1\n")

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert [(p.code, p.where) for p in exc.value.problems] == [
        ("S208", "s.csv, row 1, column 'Область'")
    ]


@pytest.mark.parametrize(
    "header",
    [
        "registered_voters",
        "Registered Voters",
        "REGISTERED_VOTERS",
        "Число избирателей",
        "зарегистрировано  избирателей",
        "Избирателей",
    ],
)
def test_import__header_spellings__are_recognised(
    tmp_path: Path, mission: Mission, header: str
) -> None:
    path = write_csv(tmp_path / "s.csv", f"CODE;Number;{header}\nA;1;7\n")

    import_stations(mission, path)

    assert get_station(mission, "A") == Station(code="A", number="1", registered_voters=7)


def test_import__extra_columns__are_kept_as_attributes_and_merged(
    tmp_path: Path, mission: Mission
) -> None:
    import_stations(
        mission, write_csv(tmp_path / "a.csv", "code,number,Phone,Chair\nA,1,555,Иванов\n")
    )
    first = get_station(mission, "A")

    import_stations(
        mission, write_csv(tmp_path / "b.csv", "code,number,Phone,Sample\nA,1,777,yes\n")
    )

    assert first is not None
    assert first.attributes == {"Phone": "555", "Chair": "Иванов"}
    second = get_station(mission, "A")
    assert second is not None
    assert second.attributes == {"Phone": "777", "Chair": "Иванов", "Sample": "yes"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("1234", 1234), ("1 234", 1234), ("1\u00a0234\u00a0567", 1234567), ("", None)],
)
def test_import__registered_voters_forms__are_accepted(
    tmp_path: Path, mission: Mission, text: str, expected: int | None
) -> None:
    path = write_csv(tmp_path / "s.csv", f'code;number;registered_voters\nA;1;"{text}"\n')

    import_stations(mission, path)

    station = get_station(mission, "A")
    assert station is not None
    assert station.registered_voters == expected


# -- refusing files ----------------------------------------------------------------------------


def test_import__xls_file__asks_for_xlsx(tmp_path: Path, mission: Mission) -> None:
    path = tmp_path / "stations.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert "stations.xls" in exc.value.message
    assert "save it as 'Excel Workbook (*.xlsx)'" in exc.value.message
    assert stored(mission) == []


def test_import__junk_file__is_refused_clearly(tmp_path: Path, mission: Mission) -> None:
    path = tmp_path / "stations.csv"
    path.write_bytes(bytes(range(256)) * 16)

    with pytest.raises(InputError) as exc:
        import_stations(mission, path)

    assert "stations.csv" in exc.value.message
    assert "not a text table" in exc.value.message
    assert stored(mission) == []


# -- searching and listing ---------------------------------------------------------------------


def test_normalise_key__cyrillic_case__folds_together() -> None:
    assert normalise_key("ЁЛКА") == normalise_key("ёлка") == "ёлка"
    assert normalise_key("АЛМАТЫ") == normalise_key("Алматы")
    # NFD 'й' (и + combining breve) and NFC 'й' are one letter to the user.
    assert normalise_key("и\u0306") == normalise_key("й")


def test_search__cyrillic__ignores_case(mission: Mission) -> None:
    add_station(mission, Station(code="A-1", number="1", region="АЛМАТЫ", name="Школа"))
    add_station(mission, Station(code="A-2", number="2", region="Алматы", name="ЁЛКА"))
    add_station(mission, Station(code="S-1", number="1", region="Шымкент", name="ёлка"))

    def found(search: str) -> list[str]:
        return [s.code for s in list_stations(mission, search=search)]

    assert found("алматы") == ["A-1", "A-2"]
    assert found("ёлка") == ["A-2", "S-1"]
    assert found("ЁЛКА") == ["A-2", "S-1"]
    assert found("шКОЛ") == ["A-1"]
    assert found("a-2") == ["A-2"]
    assert found("  ") == ["A-1", "A-2", "S-1"]
    assert found("Москва") == []


def test_search__like_wildcards__are_literal(mission: Mission) -> None:
    add_station(mission, Station(code="A", number="1", name="50% off"))
    add_station(mission, Station(code="B", number="2", name="500 off"))
    add_station(mission, Station(code="C", number="3", name="a_b"))
    add_station(mission, Station(code="D", number="4", name="axb"))

    assert [s.code for s in list_stations(mission, search="50%")] == ["A"]
    assert [s.code for s in list_stations(mission, search="a_b")] == ["C"]
    assert [s.code for s in list_stations(mission, search="%")] == ["A"]


def test_search__address_and_district__are_searched(mission: Mission) -> None:
    add_station(
        mission, Station(code="A", number="1", district="Бостандыкский", address="ул. Абая")
    )
    add_station(mission, Station(code="B", number="2", district="Медеуский", address="пр. Достык"))

    assert [s.code for s in list_stations(mission, search="АБАЯ")] == ["A"]
    assert [s.code for s in list_stations(mission, search="медеу")] == ["B"]


def test_list__numbers__sort_as_numbers_within_region_and_district(mission: Mission) -> None:
    for code, region, district, number in [
        ("S-10", "Шымкент", "Абайский", "10"),
        ("A-186A", "Алматы", "Медеуский", "186A"),
        ("A-10", "Алматы", "Бостандыкский", "10"),
        ("A-186", "Алматы", "Медеуский", "186"),
        ("A-9", "Алматы", "Бостандыкский", "9"),
        ("A-2", "Алматы", "Медеуский", "2"),
        ("X-1", None, None, "1"),
        ("K-54", "Акмолинская", "Ерейментауский", "54"),
    ]:
        add_station(mission, Station(code=code, number=number, region=region, district=district))

    assert [s.code for s in list_stations(mission)] == [
        "K-54",
        "A-9",
        "A-10",
        "A-2",
        "A-186",
        "A-186A",
        "S-10",
        "X-1",
    ]


def test_list__region_and_district_filters__narrow_the_list(mission: Mission) -> None:
    add_station(mission, Station(code="A1", number="1", region="Алматы", district="Медеуский"))
    add_station(mission, Station(code="A2", number="2", region="Алматы", district="Алмалинский"))
    add_station(mission, Station(code="S1", number="1", region="Шымкент", district="Медеуский"))

    assert [s.code for s in list_stations(mission, region="Алматы")] == ["A2", "A1"]
    assert [s.code for s in list_stations(mission, district="Медеуский")] == ["A1", "S1"]
    assert [
        s.code for s in list_stations(mission, region="Алматы", district="Медеуский", search="1")
    ] == ["A1"]


def test_regions_and_districts__count_stations_sorted(mission: Mission) -> None:
    for code, region, district in [
        ("1", "Шымкент", "Абайский"),
        ("2", "Алматы", "Медеуский"),
        ("3", "Алматы", "Медеуский"),
        ("4", "Алматы", "Алмалинский"),
        ("5", "Алматы", None),
        ("6", None, None),
    ]:
        add_station(mission, Station(code=code, number=code, region=region, district=district))

    assert regions(mission) == [("Алматы", 4), ("Шымкент", 1)]
    assert districts(mission) == [
        ("Алматы", "Алмалинский", 1),
        ("Алматы", "Медеуский", 2),
        ("Шымкент", "Абайский", 1),
    ]
    assert districts(mission, "Шымкент") == [("Шымкент", "Абайский", 1)]


def test_add_station__same_code__replaces_and_updates_search_key(mission: Mission) -> None:
    add_station(mission, Station(code="A", number="1", name="Old", attributes={"k": "v"}))
    add_station(mission, Station(code="A", number="2", name="New"))

    assert get_station(mission, "A") == Station(code="A", number="2", name="New")
    assert list_stations(mission, search="old") == []
    assert [s.code for s in list_stations(mission, search="new")] == ["A"]


def test_add_station__without_code_or_number__is_refused(mission: Mission) -> None:
    with pytest.raises(InputError) as exc:
        add_station(mission, Station(code=" ", number=""))

    assert [p.code for p in exc.value.problems] == ["S207", "S205"]
    assert stored(mission) == []
