"""Tests of db.tables: reading CSV and XLSX tables users bring, and refusing what is not one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import tables
from db.errors import InputError
from db.tables import read_table

RUSSIAN_CSV = (
    "Регион;Номер;Название;Адрес\n"
    "Алматы;186;Школа № 12;ул. Абая, 5\n"
    "Шымкент;186;Дом культуры;пр. Тауке хана 1\n"
    "Акмолинская;54;Ёлочка;с. Ерейментау\n"
)
RUSSIAN_ROWS = (
    (2, {"Регион": "Алматы", "Номер": "186", "Название": "Школа № 12", "Адрес": "ул. Абая, 5"}),
    (
        3,
        {
            "Регион": "Шымкент",
            "Номер": "186",
            "Название": "Дом культуры",
            "Адрес": "пр. Тауке хана 1",
        },
    ),
    (4, {"Регион": "Акмолинская", "Номер": "54", "Название": "Ёлочка", "Адрес": "с. Ерейментау"}),
)


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A real workbook with one sheet per entry, rows as given (None is an empty cell)."""
    wb = openpyxl.Workbook()
    default = wb.active
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    if default is not None:
        wb.remove(default)
    wb.save(path)
    return path


def codes(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [p.code for p in exc.value.problems]


# -- CSV encodings -----------------------------------------------------------------------------


def test_read__utf8_csv__reads_headers_rows_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    path.write_bytes("code,number,region\nALM-186,186,Алматы\nSHY-186,186,Шымкент\n".encode())

    table = read_table(path)

    assert table.path == path
    assert table.headers == ("code", "number", "region")
    assert table.rows == (
        (2, {"code": "ALM-186", "number": "186", "region": "Алматы"}),
        (3, {"code": "SHY-186", "number": "186", "region": "Шымкент"}),
    )
    assert table.encoding == "utf-8"
    assert table.sheet is None


def test_read__utf8_csv_with_bom__reports_utf8_sig_and_strips_bom(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    path.write_bytes(RUSSIAN_CSV.encode("utf-8-sig"))

    table = read_table(path)

    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "Регион"  # no '\ufeff' glued to the first header
    assert table.rows == RUSSIAN_ROWS


def test_read__cp1251_semicolon_csv__reads_cyrillic_exactly(tmp_path: Path) -> None:
    path = tmp_path / "участки.csv"
    path.write_bytes(RUSSIAN_CSV.encode("cp1251"))

    table = read_table(path)

    assert table.encoding == "cp1251"
    assert table.headers == ("Регион", "Номер", "Название", "Адрес")
    assert table.rows == RUSSIAN_ROWS


def test_read__short_cp1251_file__is_not_guessed_as_another_codepage(tmp_path: Path) -> None:
    # The trap in PITFALLS: detectors read a few cp1251 place names as cp1250.
    path = tmp_path / "s.csv"
    path.write_bytes("Регион\nАлматы\n".encode("cp1251"))

    table = read_table(path)

    assert table.rows == ((2, {"Регион": "Алматы"}),)


def test_read__explicit_encoding__is_used_instead_of_the_guess(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("Регион;Номер\nАлматы;1\n".encode())

    # UTF-8 bytes are also valid cp1251: the override must win even where the guess would do.
    forced = read_table(path, encoding="cp1251")
    guessed = read_table(path)

    assert forced.encoding == "cp1251"
    assert forced.headers[0] == "Регион".encode().decode("cp1251")
    assert guessed.headers[0] == "Регион"


def test_read__explicit_encoding_that_does_not_fit__says_so(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(RUSSIAN_CSV.encode("cp1251"))

    with pytest.raises(InputError) as exc:
        read_table(path, encoding="utf-8")

    assert codes(exc) == ["T109"]
    assert "s.csv" in exc.value.message
    assert "utf-8" in exc.value.message


def test_read__unknown_encoding_name__is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a\n1\n")

    with pytest.raises(InputError) as exc:
        read_table(path, encoding="klingon-8")

    assert codes(exc) == ["T109"]


def test_read__utf16_unicode_text_from_excel__is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes("Регион\tНомер\r\nАлматы\t186\r\n".encode("utf-16"))

    table = read_table(path)

    assert table.encoding == "utf-16"
    assert table.rows == ((2, {"Регион": "Алматы", "Номер": "186"}),)


# -- CSV shape ---------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read__each_delimiter__is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(["1", "2", "3"]))

    table = read_table(path)

    assert table.rows == ((2, {"a": "1", "b": "2", "c": "3"}),)


def test_read__semicolon_file_with_commas_in_cells__splits_on_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("region;address\nAlmaty;Abay st, 5, flat 2\n")

    table = read_table(path)

    assert table.rows == ((2, {"region": "Almaty", "address": "Abay st, 5, flat 2"}),)


def test_read__empty_rows__are_skipped_but_numbers_keep_counting(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("\n a ; b \n\n1;2\n;\n  ;  \n3;4\n")

    table = read_table(path)

    assert table.headers == ("a", "b")
    assert table.rows == ((4, {"a": "1", "b": "2"}), (7, {"a": "3", "b": "4"}))


def test_read__cells__are_stripped_and_missing_cells_are_empty(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,b,c\n  1 ,\u00a02\u00a0\n4\n")

    table = read_table(path)

    assert table.rows == (
        (2, {"a": "1", "b": "2", "c": ""}),
        (3, {"a": "4", "b": "", "c": ""}),
    )


def test_read__quoted_cell_over_two_lines__is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('a,b\n"line one\nline two",x\ny,z\n')

    table = read_table(path)

    assert table.rows == (
        (2, {"a": "line one\nline two", "b": "x"}),
        (3, {"a": "y", "b": "z"}),
    )


def test_read__trailing_empty_cells_from_excel__are_not_columns(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a;b;;;\n1;2;;;\n")

    table = read_table(path)

    assert table.headers == ("a", "b")
    assert table.rows == ((2, {"a": "1", "b": "2"}),)


def test_read__empty_file__gives_no_headers_and_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"")

    table = read_table(path)

    assert (table.headers, table.rows) == ((), ())


def test_read__extra_cells_beyond_header__are_reported_per_row(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,b\n1,2\n3,4,5\n6,7\n8,9,,10\n")

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T112", "T112"]
    wheres = [p.where for p in exc.value.problems]
    assert wheres == ["s.csv, row 3, column C", "s.csv, row 5, column D"]
    assert "'5'" in exc.value.problems[0].what


def test_read__bad_headers__every_problem_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Code,,number,CODE, \nA,x,1,B,\n")

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T110", "T111"]
    assert exc.value.problems[0].where == "s.csv, row 1, column B"
    assert exc.value.problems[1].where == "s.csv, row 1, column 'CODE'"
    assert "column A" in exc.value.problems[1].what


def test_read__bad_headers_in_russian__same_rows_columns_and_values(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"Участки": [["Code", None, "CODE"], ["A", "x", "B"]]})

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert exc.value.text("ru") == (
        "s.xlsx, лист «Участки»: таблицу нельзя прочитать в таком виде (2 проблемы, они"
        " перечислены ниже). Исправьте их и попробуйте снова."
    )
    assert [p.text("ru") for p in exc.value.problems] == [
        "s.xlsx, лист «Участки», строка 1, столбец B: в этом столбце есть данные, но нет"
        " заголовка. Введите заголовок столбца или удалите столбец.",
        "s.xlsx, лист «Участки», строка 1, столбец «CODE»: у столбца C тот же заголовок, что у"
        " столбца A («Code»); заголовки должны различаться, и заглавные буквы не в счет."
        " Переименуйте или удалите один из двух столбцов.",
    ]
    assert exc.value.problems[1].location() == {
        "file": "s.xlsx",
        "sheet": "Участки",
        "row": 1,
        "column": "CODE",
    }


def test_read__missing_file_in_russian__names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_table(tmp_path / "nowhere.csv")

    assert exc.value.text("ru") == (
        f"nowhere.csv: такого файла нет. Проверьте имя и папку: {tmp_path / 'nowhere.csv'}"
    )
    assert exc.value.text("en") == exc.value.message


def test_read__empty_header_without_data__is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,,b\n1,,2\n")

    table = read_table(path)

    assert table.headers == ("a", "b")
    assert table.rows == ((2, {"a": "1", "b": "2"}),)


def test_read__a_stray_control_character__does_not_refuse_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name,number\nSchool\x07 one,1\n" + "Other,2\n" * 20)

    table = read_table(path)

    assert table.rows[0] == (2, {"name": "School\x07 one", "number": "1"})


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_read__any_table_written_by_csv_writer__reads_back_exactly(
    tmp_path: Path, data: st.DataObject, encoding: str, delimiter: str
) -> None:
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯabcXYZ"
    cell_chars = letters + "0123456789 ,;\"'.-№\n"
    width = data.draw(st.integers(2, 5))
    headers = data.draw(
        st.lists(
            st.text(letters, min_size=1, max_size=8),
            min_size=width,
            max_size=width,
            unique_by=str.casefold,
        )
    )
    cell = st.text(cell_chars, max_size=12).map(str.strip)
    rows = data.draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=6))
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path = tmp_path / "p.csv"
    path.write_bytes(buf.getvalue().encode(encoding))

    table = read_table(path)

    expected = tuple(
        (number, dict(zip(headers, row, strict=True)))
        for number, row in enumerate(rows, start=2)
        if any(row)
    )
    assert table.headers == tuple(headers)
    assert table.rows == expected
    assert table.encoding == ("utf-8-sig" if encoding == "utf-8-sig" else encoding) or (
        # Pure-ASCII text is valid UTF-8 before it is tried as cp1251.
        encoding == "cp1251" and table.encoding == "utf-8"
    )


# -- XLSX --------------------------------------------------------------------------------------


def test_read__xlsx__cells_become_text_as_users_see_them(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "stations.xlsx",
        {
            "Stations": [
                ["code", "number", "voters", "share", "opened", "seen", "sealed", "note"],
                ["ALM-186", 186, 1234.0, 12.5, dt.datetime(2025, 12, 4), None, True, " Ёлка "],
                ["SHY-9", 9, 0, 0.1 + 0.2, dt.date(2025, 12, 5), dt.datetime(2025, 12, 4, 8, 30)],
            ]
        },
    )

    table = read_table(path)

    assert table.sheet == "Stations"
    assert table.encoding is None
    assert table.rows == (
        (
            2,
            {
                "code": "ALM-186",
                "number": "186",
                "voters": "1234",
                "share": "12.5",
                "opened": "2025-12-04",
                "seen": "",
                "sealed": "true",
                "note": "Ёлка",
            },
        ),
        (
            3,
            {
                "code": "SHY-9",
                "number": "9",
                "voters": "0",
                "share": "0.3",
                "opened": "2025-12-05",
                "seen": "2025-12-04T08:30:00",
                "sealed": "",
                "note": "",
            },
        ),
    )


def test_read__xlsx_formula__is_never_evaluated(tmp_path: Path) -> None:
    # openpyxl writes no cached result; data_only then reads '' rather than computing 2 or
    # handing back the formula text.
    path = write_xlsx(tmp_path / "f.xlsx", {"S": [["a", "b"], ["=1+1", "x"]]})

    table = read_table(path)

    assert table.rows == ((2, {"a": "", "b": "x"}),)


def test_read__xlsx_blank_rows__keep_excel_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        {"S": [[None], ["region", "number"], ["Алматы", 186], [], ["Шымкент", 7]]},
    )

    table = read_table(path)

    assert table.rows == (
        (3, {"region": "Алматы", "number": "186"}),
        (5, {"region": "Шымкент", "number": "7"}),
    )


def test_read__xlsx_sheet_named__reads_that_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"Notes": [["x"], ["y"]], "Участки": [["номер"], [1]]})

    first = read_table(path)
    named = read_table(path, sheet="Участки")

    assert first.sheet == "Notes"
    assert named.sheet == "Участки"
    assert named.rows == ((2, {"номер": "1"}),)


def test_read__xlsx_unknown_sheet__lists_the_sheets_there_are(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"Notes": [["x"]], "Участки": [["номер"]]})

    with pytest.raises(InputError) as exc:
        read_table(path, sheet="Stations")

    assert codes(exc) == ["T107"]
    assert "'Notes', 'Участки'" in exc.value.message


def test_read__xlsx_problems__name_the_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [["a", "A"], [1, 2]]})

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert [p.where for p in exc.value.problems] == ["s.xlsx, sheet 'S', row 1, column 'A'"]


def test_read__xlsx_read__leaves_the_file_closed(tmp_path: Path) -> None:
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc to see open files")
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [["a"], [1]]})
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")

    read_table(path)
    with pytest.raises(InputError):
        read_table(bad)

    # An open handle would keep Windows users from moving or deleting the file.
    open_files = {str(link.resolve()) for link in fds.iterdir() if link.is_symlink()}
    assert str(path.resolve()) not in open_files
    assert str(bad.resolve()) not in open_files


# -- files that are not tables -----------------------------------------------------------------


def test_read__missing_file__names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_table(tmp_path / "nothing.csv")

    assert codes(exc) == ["T101"]
    assert "nothing.csv" in exc.value.message


def test_read__folder__is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dir.csv"
    folder.mkdir()

    with pytest.raises(InputError) as exc:
        read_table(folder)

    assert codes(exc) == ["T101"]


def test_read__xls_workbook__asks_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T103"]
    assert "old.xls" in exc.value.message
    assert ".xlsx" in exc.value.message


def test_read__xls_renamed_csv__asks_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T103"]


@pytest.mark.parametrize("name", ["list.docx", "list.ods", "list"])
def test_read__other_suffix__is_refused_with_the_fix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("a\n1\n")

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T102"]
    assert name in exc.value.message
    assert ".csv" in exc.value.message


def test_read__binary_junk_named_csv__is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 8)

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T105"]
    assert "junk.csv" in exc.value.message


def test_read__binary_junk_without_nuls__is_refused(tmp_path: Path) -> None:
    # Every byte decodes in cp1251 here, yet it is no table.
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(b for b in range(1, 256) if b != 0x98) * 8)

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T105"]


def test_read__workbook_renamed_csv__says_it_is_a_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [["a"], [1]]}).rename(tmp_path / "s.csv")

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T105"]
    assert ".xlsx" in exc.value.message


@pytest.mark.parametrize(
    "content",
    [b"this is not a zip at all", b"\x00\x01\x02" * 100],
    ids=["text", "binary"],
)
def test_read__junk_named_xlsx__is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(content)

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T106"]
    assert "junk.xlsx" in exc.value.message


def test_read__zip_that_is_not_a_workbook__is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff" + bytes(100))

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T106"]


def test_read__file_over_the_size_limit__is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_BYTES", 1024)
    path = tmp_path / "big.csv"
    path.write_text("a\n" + "1\n" * 1000)

    with pytest.raises(InputError) as exc:
        read_table(path)

    assert codes(exc) == ["T104"]
    assert "big.csv" in exc.value.message
