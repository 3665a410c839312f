"""Imports: CSV and XLSX, validated, all or nothing, idempotent, problems by file/row/column."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from followthrough.core.models import AuditEvent
from followthrough.licensing import services
from followthrough.licensing.compliance import LicenceStatus
from followthrough.licensing.encryption import decrypt
from followthrough.licensing.importing import (
    ImportFailed,
    parse_dbs,
    parse_register,
    parse_training,
    read_table,
)
from followthrough.licensing.models import (
    Attendance,
    DBSCheck,
    DBSStatusCheck,
    Licence,
    LicenceStatusChange,
    Licensee,
    TrainingSession,
)

REGISTER = """licensee_reference,name,email,licence_number,licence_type,issued_on,expires_on,status,status_since
D0001,Driver 0001,d1@example.com,PH0001,private_hire,2016-06-01,,active,
D0002,Driver 0002,,HC0002,Hackney carriage driver,01/04/2015,,expired,2018-05-31
D0002,Driver 0002,,HC0002,hackney_carriage,2018-04-01,,active,
O0001,Example Cars Ltd,,OP0001,operator,2016-01-01,,active,
"""

DBS = """licensee_reference,record,date,level,barred_lists,certificate_number,update_service_subscribed_on,result
D0001,certificate,2016-05-01,enhanced,both,0012 3456 7890,2016-05-10,
D0001,status_check,2016-11-01,,,,,no_change
D0002,certificate,2018-03-01,enhanced,children,,,
"""

TRAINING = """course,session_date,venue,licensee_reference,attendee_name,attendee_organisation,attended,completed_on
CSE awareness for taxi drivers,2016-09-14,Civic Offices,D0001,,,Y,2016-09-14
CSE awareness for taxi drivers,2016-09-14,Civic Offices,D0002,,,N,
CSE awareness for taxi drivers,2016-09-14,Civic Offices,,Pat Example,Example Academy,Y,2016-09-14
CSE awareness for taxi drivers,,,D0002,,,Y,2017-01-10
"""


def table(text: str, name: str = "file.csv"):
    return read_table(name, text.encode("utf-8"))


def load_register(officer, text: str = REGISTER, name: str = "register.csv"):
    return services.register_import(
        actor=officer, source=name, rows=parse_register(table(text, name))
    )


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Parsing (pure)


def test_register_rows_fill_in_default_expiry_by_licence_type():
    rows = parse_register(table(REGISTER))
    assert [r.expires_on for r in rows] == [
        date(2019, 5, 31),
        date(2018, 3, 31),
        date(2021, 3, 31),
        date(2020, 12, 31),
    ]
    assert rows[1].status is LicenceStatus.EXPIRED
    assert rows[1].status_since == date(2018, 5, 31)


def test_register_problems_name_file_row_and_column():
    bad = (
        "licensee_reference,name,licence_number,licence_type,issued_on,status\n"
        "D0001,Driver 0001,PH1,taxi,2016-06-01,active\n"
        "D0002,Driver 0002,PH2,private_hire,31/02/2016,active\n"
        "D0003,,PH3,private_hire,2016-06-01,lost\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_register(table(bad, "register.csv"))
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("register.csv, row 2, column licence_type: Enter a licence type")
    assert messages[1].startswith("register.csv, row 3, column issued_on: Enter a real date")
    assert "register.csv, row 4, column name: This is required" in messages
    assert any(
        m.startswith("register.csv, row 4, column status: Enter a licence status") for m in messages
    )


def test_register_missing_and_unknown_columns_are_reported_on_the_header_row():
    with pytest.raises(ImportFailed) as caught:
        parse_register(
            table(
                "licensee_reference,name,licence_type,issued_on,status,colour\nD1,A,dual,2016-01-01,active,red\n"
            )
        )
    messages = [str(p) for p in caught.value.problems]
    assert "file.csv, row 1, column licence_number: This column is missing" in messages
    assert "file.csv, row 1, column colour: This column is not recognised" in messages


def test_register_rejects_one_licence_number_given_to_two_people():
    text = (
        "licensee_reference,name,licence_number,licence_type,issued_on,status\n"
        "D0001,Driver 0001,PH1,private_hire,2016-06-01,active\n"
        "D0002,Driver 0002,PH1,private_hire,2019-06-01,active\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_register(table(text))
    assert (
        str(caught.value.problems[0])
        == "file.csv, row 3, column licence_number: Row 2 gives licence PH1 to D0001"
    )


def test_xlsx_reads_like_csv_with_real_date_cells():
    content = xlsx(
        [
            ["Licensee reference", "Name", "Licence number", "Licence type", "Issued on", "Status"],
            ["D0001", "Driver 0001", "PH1", "Private hire driver", date(2016, 6, 1), "Active"],
        ]
    )
    rows = parse_register(read_table("register.xlsx", content))
    assert rows[0].issued_on == date(2016, 6, 1)
    assert rows[0].licence_type == "private_hire"


def test_unreadable_files_are_refused_with_a_clear_message():
    with pytest.raises(ImportFailed, match="must be a .csv or .xlsx"):
        read_table("register.pdf", b"%PDF-1.4")
    with pytest.raises(ImportFailed, match="cannot be opened"):
        read_table("register.xlsx", b"not a spreadsheet")
    with pytest.raises(ImportFailed, match="UTF-8"):
        read_table("register.csv", "Jos\u00e9".encode("utf-16"))


def test_dbs_certificate_number_must_be_12_digits():
    text = "licensee_reference,record,date,certificate_number\nD0001,certificate,2016-05-01,12345\n"
    with pytest.raises(ImportFailed) as caught:
        parse_dbs(table(text, "dbs.csv"))
    assert str(caught.value.problems[0]) == (
        "dbs.csv, row 2, column certificate_number: A DBS certificate number is 12 digits"
    )


def test_training_row_needs_a_person_and_a_date():
    text = "course,session_date,venue,licensee_reference,attendee_name\nCSE,,,,\n"
    with pytest.raises(ImportFailed) as caught:
        parse_training(table(text, "training.csv"))
    columns = {p.column for p in caught.value.problems}
    assert columns == {"attendee_name", "completed_on"}


# Found by fuzzing (tests/fuzz): each of these crashed, or imported what PostgreSQL refuses,
# or imported differently every time the same file was imported again.


def test_csv_with_old_mac_line_endings_is_read():
    text = REGISTER.replace("\n", "\r")
    assert len(parse_register(read_table("register.csv", text.encode()))) == 4


def test_csv_the_reader_cannot_parse_is_refused_with_a_clear_message():
    content = b"licensee_reference,name\n" + b"x" * 200_000 + b"\n"
    with pytest.raises(ImportFailed) as caught:
        read_table("register.csv", content)
    assert str(caught.value.problems[0]).startswith(
        "register.csv, row 2: The file cannot be read as CSV"
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("licensee_reference", "D" * 31, "Enter 30 characters or fewer"),
        ("licensee_reference", "\u00df" * 16, "Enter 30 characters or fewer"),  # ß is SS stored
        ("name", "N" * 201, "Enter 200 characters or fewer"),
        ("licence_number", "PH1\x00", "Remove the NUL character from this cell"),
        ("issued_on", "9999-12-31", "Enter a date between 1900 and 2100, not '9999-12-31'"),
    ],
)
def test_register_values_that_do_not_fit_the_register_are_refused(column, value, message):
    row = {
        "licensee_reference": "D0001",
        "name": "Driver 0001",
        "licence_number": "PH1",
        "licence_type": "private_hire",
        "issued_on": "2016-06-01",
        "status": "active",
    }
    row[column] = value
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    with pytest.raises(ImportFailed) as caught:
        parse_register(table(text, "register.csv"))
    assert str(caught.value.problems[0]) == f"register.csv, row 2, column {column}: {message}"


def test_register_refuses_one_holder_given_two_sets_of_details():
    text = (
        "licensee_reference,name,email,licence_number,licence_type,issued_on,status\n"
        "D0001,Driver 0001,a@example.com,PH1,private_hire,2016-06-01,active\n"
        "d0001,Driver One,b@example.com,PH1,private_hire,2019-06-01,active\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_register(table(text))
    assert [str(p) for p in caught.value.problems] == [
        "file.csv, row 3, column name: Row 2 gives a different name for d0001",
        "file.csv, row 3, column email: Row 2 gives a different email address for d0001",
    ]


def test_training_refuses_one_person_twice_at_a_session_however_the_course_is_written():
    text = (
        "course,session_date,venue,licensee_reference,attended\n"
        "CSE awareness for taxi drivers,2016-09-14,Civic Offices,D0001,Y\n"
        "CSE AWARENESS FOR TAXI DRIVERS,2016-09-14,civic offices,d0001,N\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_training(table(text, "training.csv"))
    assert [str(p) for p in caught.value.problems] == [
        "training.csv, row 3: Row 2 already records this person at this session"
    ]


# ---------------------------------------------------------------------------------------------
# Writing: all or nothing, and idempotent


def test_register_import_creates_holders_licences_and_dated_status_history(officer):
    result = load_register(officer)
    assert result.created == {"licence holders": 3, "licences": 4}
    assert Licensee.objects.count() == 3
    old = Licence.objects.get(number="HC0002", issued_on=date(2015, 4, 1))
    assert old.status == LicenceStatus.EXPIRED
    history = list(
        LicenceStatusChange.objects.filter(licence=old).values_list("effective_date", "status_to")
    )
    assert history == [(date(2015, 4, 1), "active"), (date(2018, 5, 31), "expired")]


def test_reimporting_the_same_register_changes_nothing(officer):
    load_register(officer)
    audit_before = AuditEvent.objects.count()
    result = load_register(officer)
    assert not result.changed
    assert result.describe() == "register.csv: nothing changed (already imported)"
    assert Licence.objects.count() == 4
    assert LicenceStatusChange.objects.count() == 5
    assert AuditEvent.objects.count() == audit_before


def test_reimport_with_a_changed_status_records_the_change(officer):
    load_register(officer)
    changed = REGISTER.replace(
        "PH0001,private_hire,2016-06-01,,active,",
        "PH0001,private_hire,2016-06-01,,revoked,2017-02-01",
    )
    result = load_register(officer, changed)
    assert result.updated == {"licence holders": 0, "licences": 1}
    licence = Licence.objects.get(number="PH0001")
    assert licence.status == LicenceStatus.REVOKED
    assert licence.status_changes.last().effective_date == date(2017, 2, 1)


def test_register_import_refuses_a_licence_number_held_by_someone_else(officer):
    load_register(officer)
    clash = "licensee_reference,name,licence_number,licence_type,issued_on,status\nD0009,Driver 0009,PH0001,private_hire,2019-06-01,active\n"
    with pytest.raises(ImportFailed) as caught:
        load_register(officer, clash, "more.csv")
    assert str(caught.value.problems[0]) == (
        "more.csv, row 2, column licence_number: Licence PH0001 is held by D0001 on the register"
    )
    assert not Licensee.objects.filter(reference="D0009").exists()


def test_dbs_import_encrypts_numbers_links_checks_and_is_idempotent(officer):
    load_register(officer)
    rows = parse_dbs(table(DBS, "dbs.csv"))
    result = services.dbs_import(actor=officer, source="dbs.csv", rows=rows)
    assert result.created == {"DBS certificates": 2, "status checks": 1}
    cert = DBSCheck.objects.get(licensee__reference="D0001")
    assert "001234567890" not in cert.certificate_number_encrypted
    assert decrypt(cert.certificate_number_encrypted) == "001234567890"
    assert cert.certificate_number_last4 == "7890"
    assert DBSStatusCheck.objects.get().dbs_check == cert
    assert not DBSCheck.objects.get(licensee__reference="D0002").adults_barred_list
    again = services.dbs_import(
        actor=officer, source="dbs.csv", rows=parse_dbs(table(DBS, "dbs.csv"))
    )
    assert not again.changed


def test_dbs_import_is_all_or_nothing(officer):
    load_register(officer)
    text = DBS + "D0999,certificate,2016-05-01,enhanced,both,,,\n"
    with pytest.raises(ImportFailed) as caught:
        services.dbs_import(actor=officer, source="dbs.csv", rows=parse_dbs(table(text, "dbs.csv")))
    assert str(caught.value.problems[0]).startswith(
        "dbs.csv, row 5, column licensee_reference: No licence holder D0999"
    )
    assert DBSCheck.objects.count() == 0


def test_status_check_before_any_certificate_fails_the_whole_file(officer):
    load_register(officer)
    text = DBS + "D0002,status_check,2018-01-01,,,,,no_change\n"
    with pytest.raises(ImportFailed) as caught:
        services.dbs_import(actor=officer, source="dbs.csv", rows=parse_dbs(table(text, "dbs.csv")))
    assert str(caught.value.problems[0]) == (
        "dbs.csv, row 5, column date: There is no DBS certificate issued by this date to check"
    )
    assert DBSCheck.objects.count() == 0  # the certificates in the same file were rolled back


def test_training_import_for_drivers_and_others_is_idempotent(officer, driver_course):
    load_register(officer)
    rows = parse_training(table(TRAINING, "training.csv"))
    result = services.training_import(actor=officer, source="training.csv", rows=rows)
    assert result.created == {"training sessions": 1, "attendances": 4}
    assert TrainingSession.objects.count() == 1
    assert Attendance.objects.filter(completed_on__isnull=False).count() == 3
    assert Attendance.objects.get(attendee_name="Pat Example").licensee is None
    again = services.training_import(
        actor=officer, source="training.csv", rows=parse_training(table(TRAINING, "training.csv"))
    )
    assert not again.changed


def test_training_import_names_an_unknown_course(officer, driver_course):
    load_register(officer)
    text = TRAINING.replace("CSE awareness for taxi drivers,,,D0002", "Knife crime,,,D0002")
    with pytest.raises(ImportFailed) as caught:
        services.training_import(
            actor=officer, source="training.csv", rows=parse_training(table(text, "training.csv"))
        )
    assert str(caught.value.problems[0]) == (
        "training.csv, row 5, column course: There is no course called 'Knife crime': add it first"
    )
    assert Attendance.objects.count() == 0
