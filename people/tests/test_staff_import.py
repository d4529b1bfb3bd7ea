"""HR managers' staff import: every problem with its row, dry run, all or nothing, scope."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from assignments.tests.factories import assignment_of
from lms.import_preview import CACHE_KEY_PREFIX, SESSION_KEY_PREFIX
from lms.spreadsheets.reading import MAX_FILE_BYTES
from people.models import LearnerProfile, User
from people.services import staff_import
from people.staff_import import COLUMNS, StaffFileRejected, staff_file_read
from people.tests.factories import (
    PASSWORD,
    LearnerProfileFactory,
    RoleGroupFactory,
    UserFactory,
    hr_manager_of,
    learner_in,
)

pytestmark = pytest.mark.django_db

SESSION_KEY = SESSION_KEY_PREFIX + "people.staff_import"


@pytest.fixture(autouse=True)
def messages_in_english():
    """These tests read the messages' wording in English (the Thai catalogue has the same
    messages; pages are checked in the language of the person who asks)."""
    with translation.override("en"):
        yield


def person_row(**values) -> dict[str, str]:
    row = {
        "email": "somying@a1.go.th",
        "title": "นางสาว",
        "first_name_th": "สมหญิง",
        "last_name_th": "รักงาน",
        "first_name_en": "Somying",
        "last_name_en": "Rakngan",
        "unit_code": "DIV-A1-HR",
        "employment_type": "ข้าราชการ",
        "position_title": "นักทรัพยากรบุคคล",
        "position_type": "วิชาการ",
        "position_level": "ชำนาญการ",
        "role_group_code": "",
        "employee_number": "A1-0001",
        "national_id": "",
    }
    row.update(values)
    return row


def csv_file(*rows: dict[str, str], columns=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def read(*rows, columns=COLUMNS):
    return staff_file_read(name="staff.csv", data=csv_file(*rows, columns=columns))


def problems(result) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in result.errors}


@pytest.fixture
def manager(public_service):
    return hr_manager_of(public_service["DEPT-A1"], preferred_language="en")


def test_a_dry_run_shows_what_would_happen_and_changes_nothing(public_service, manager):
    units = public_service
    mover = learner_in(units["DIV-A1-ICT"], email="mover@a1.go.th")
    same = LearnerProfileFactory(
        unit=units["DEPT-A1"],
        user=UserFactory(email="same@a1.go.th", title="mr", first_name="สมศักดิ์", last_name="ดี"),
    ).user
    rows = read(
        person_row(),
        person_row(email="mover@a1.go.th", first_name_th="", last_name_th="", unit_code="DIV-A1-HR"),
        person_row(
            email="same@a1.go.th", title="mr", first_name_th="สมศักดิ์", last_name_th="ดี", first_name_en="",
            last_name_en="", unit_code="DEPT-A1", position_title="", position_type="", position_level="",
            employee_number="",
        ),
    )  # fmt: skip

    result = staff_import(rows=rows, importer=manager, apply=False)

    assert result.errors == []
    assert [(plan.row, plan.action) for plan in result.plans] == [
        (2, "create"),
        (3, "move"),
        (4, "unchanged"),
    ]
    move = result.plans[1]
    assert (move.unit_before, move.unit) == (units["DIV-A1-ICT"], units["DIV-A1-HR"])
    assert not User.objects.filter(email="somying@a1.go.th").exists()
    mover.profile.refresh_from_db()
    assert mover.profile.unit == units["DIV-A1-ICT"]
    assert same.profile.unit == units["DEPT-A1"]


def test_confirming_creates_updates_and_moves_people(public_service, manager):
    units = public_service
    group = RoleGroupFactory(code="ACA")
    mover = learner_in(units["DIV-A1-ICT"], email="mover@a1.go.th", first_name="เดิม")
    rows = read(
        person_row(role_group_code="aca"),
        person_row(email="MOVER@a1.go.th", first_name_th="", last_name_th="", unit_code="div-a1-hr",
                   employment_type="Government employee", position_type="", position_level=""),
    )  # fmt: skip

    result = staff_import(rows=rows, importer=manager, apply=True)

    assert result.applied
    assert result.errors == []
    created = User.objects.get(email="somying@a1.go.th")
    assert (created.title, created.first_name, created.last_name_en) == ("miss", "สมหญิง", "Rakngan")
    assert not created.has_usable_password()
    profile = created.profile
    assert profile.unit == units["DIV-A1-HR"]
    assert (profile.employment_type, profile.position_type, profile.position_level) == (
        "civil_servant", "knowledge_worker", "professional",
    )  # fmt: skip
    assert profile.role_group == group
    assert profile.employee_number == "A1-0001"
    mover.refresh_from_db()
    assert mover.first_name == "เดิม"  # an empty name cell keeps the name
    assert mover.profile.unit == units["DIV-A1-HR"]
    assert mover.profile.employment_type == "government_employee"


def test_every_problem_is_reported_with_its_row_and_column(public_service, manager):
    units = public_service
    RoleGroupFactory(code="TEC")
    learner_in(units["DEPT-A2"], email="elsewhere@a2.go.th")
    rows = read(
        person_row(email="one@a1.go.th", unit_code="NO-SUCH-UNIT"),  # 2
        person_row(email="two@a1.go.th", unit_code="DEPT-B1"),  # 3: a unit outside the scope
        person_row(email="not-an-address"),  # 4
        person_row(email="five@a1.go.th"),  # 5
        person_row(email="five@a1.go.th"),  # 6: the same address again
        person_row(email="seven@a1.go.th", position_type="ทั่วไป", position_level="ชำนาญการ"),  # 7
        person_row(email="eight@a1.go.th", role_group_code="XYZ"),  # 8
        person_row(email="elsewhere@a2.go.th"),  # 9: exists outside the scope, reads as new: no problem
        person_row(email="ten@a1.go.th", first_name_th=""),  # 10: a new person needs a name
        person_row(
            email="eleven@a1.go.th", employment_type="พนักงานราชการ"
        ),  # 11: type for non-civil servants
        person_row(email="twelve@a1.go.th", employment_type="astronaut"),  # 12
    )

    result = staff_import(rows=rows, importer=manager, apply=True)

    assert not result.applied
    assert problems(result) == {
        (2, "unit_code"),
        (3, "unit_code"),
        (4, "email"),
        (6, "email"),
        (7, "position_level"),
        (8, "role_group_code"),
        (10, "first_name_th"),
        (11, "position_type"),
        (12, "employment_type"),
    }
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert "NO-SUCH-UNIT" in messages[(2, "unit_code")]
    assert "not one you manage" in messages[(3, "unit_code")]
    assert "row 5" in messages[(6, "email")]
    assert "XYZ" in messages[(8, "role_group_code")]
    assert not User.objects.filter(email__endswith="@a1.go.th").exists()


def test_one_bad_row_means_nothing_is_imported(public_service, manager):
    units = public_service
    mover = learner_in(units["DIV-A1-ICT"], email="mover@a1.go.th")
    rows = read(
        person_row(),
        person_row(email="mover@a1.go.th", unit_code="DIV-A1-HR"),
        person_row(email="bad@a1.go.th", unit_code="NOPE"),
    )

    result = staff_import(rows=rows, importer=manager, apply=True)

    assert not result.applied
    assert problems(result) == {(4, "unit_code")}
    assert not User.objects.filter(email="somying@a1.go.th").exists()
    mover.profile.refresh_from_db()
    assert mover.profile.unit == units["DIV-A1-ICT"]


def test_codes_and_english_labels_are_accepted_as_well_as_thai_labels(public_service, manager):
    rows = read(
        person_row(email="codes@a1.go.th", title="ms", employment_type="civil_servant",
                   position_type="managerial", position_level="managerial_higher"),
        person_row(email="english@a1.go.th", title="Mrs.", employment_type="Civil servant",
                   position_type="Executive", position_level="primary"),
        person_row(email="thai@a1.go.th", title="นาย", employment_type="ข้าราชการ",
                   position_type="อำนวยการ", position_level="ต้น"),
    )  # fmt: skip

    result = staff_import(rows=rows, importer=manager, apply=True)

    assert problems(result) == {(2, "title")}  # "ms" is not a title code
    rows = read(
        person_row(email="english@a1.go.th", title="Mrs.", employment_type="Civil servant",
                   position_type="Executive", position_level="primary"),
        person_row(email="thai@a1.go.th", title="นาย", employment_type="ข้าราชการ",
                   position_type="อำนวยการ", position_level="ระดับต้น"),
    )  # fmt: skip
    assert staff_import(rows=rows, importer=manager, apply=True).applied
    english = LearnerProfile.objects.get(user__email="english@a1.go.th")
    thai = LearnerProfile.objects.get(user__email="thai@a1.go.th")
    assert (english.user.title, english.position_type, english.position_level) == (
        "mrs", "executive", "executive_primary",
    )  # fmt: skip
    assert (thai.user.title, thai.position_type, thai.position_level) == (
        "mr",
        "managerial",
        "managerial_primary",
    )


def test_a_missing_column_keeps_the_field_and_an_empty_cell_clears_it(public_service, manager):
    unit = public_service["DEPT-A1"]
    group = RoleGroupFactory(code="SRV")
    person = LearnerProfileFactory(
        unit=unit, user=UserFactory(email="keep@a1.go.th"), employee_number="E-1", role_group=group
    ).user
    columns = ["email", "unit_code", "employment_type", "employee_number"]

    result = staff_import(
        rows=read({"email": "keep@a1.go.th", "unit_code": "DEPT-A1", "employment_type": "civil_servant",
                   "employee_number": ""}, columns=columns),
        importer=manager,
        apply=True,
    )  # fmt: skip

    assert result.applied
    assert [plan.changed for plan in result.plans] == [["employee_number"]]
    person.profile.refresh_from_db()
    assert person.profile.employee_number == ""
    assert person.profile.role_group == group


def test_moving_people_in_gives_them_the_units_assignments(
    public_service, manager, django_capture_on_commit_callbacks
):
    units = public_service
    assignment = assignment_of(units["DIV-A1-HR"], created_by=manager)
    mover = learner_in(units["DIV-A1-ICT"], email="mover@a1.go.th")

    with django_capture_on_commit_callbacks(execute=True):
        result = staff_import(
            rows=read(person_row(), person_row(email="mover@a1.go.th", unit_code="DIV-A1-HR")),
            importer=manager,
            apply=True,
        )

    assert result.applied
    assert set(assignment.members.values_list("user__email", flat=True)) == {"somying@a1.go.th", mover.email}


def test_an_account_not_placed_anywhere_can_be_placed_only_by_a_platform_administrator(
    public_service, manager
):
    from people.services import role_assign

    UserFactory(email="unplaced@a1.go.th")
    admin = UserFactory()
    role_assign(user=admin, role="platform_admin")
    rows = read(person_row(email="unplaced@a1.go.th"))

    by_manager = staff_import(rows=rows, importer=manager, apply=True)
    assert by_manager.applied
    assert by_manager.plans[0].action == "create"
    assert not LearnerProfile.objects.filter(user__email="unplaced@a1.go.th").exists()
    result = staff_import(rows=rows, importer=admin, apply=True)
    assert result.applied
    assert result.plans[0].action == "update"
    assert User.objects.get(email="unplaced@a1.go.th").profile.unit == public_service["DIV-A1-HR"]


def test_xlsx_files_are_read_like_csv(public_service, manager):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    row = person_row(employee_number="")
    sheet.append([12345 if column == "employee_number" else row[column] for column in COLUMNS])  # a number
    sheet.append([])
    sheet.append([person_row(email="third-row@a1.go.th")[column] for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = staff_file_read(name="staff.xlsx", data=buffer.getvalue())

    assert [(row.number, row.values["email"], row.values["employee_number"]) for row in rows] == [
        (2, "somying@a1.go.th", "12345"),
        (4, "third-row@a1.go.th", "A1-0001"),
    ]
    assert staff_import(rows=rows, importer=manager, apply=True).applied


def test_files_too_large_too_long_or_without_the_required_columns_are_refused_with_a_reason():
    with pytest.raises(StaffFileRejected) as too_large:
        staff_file_read(name="staff.csv", data=b"email\n" + b"x" * MAX_FILE_BYTES)
    with pytest.raises(StaffFileRejected) as too_long:
        staff_file_read(
            name="staff.csv",
            data=("email,unit_code,employment_type\n" + "a@b.go.th,U,civil_servant\n" * 20_001).encode(),
        )
    with pytest.raises(StaffFileRejected) as no_unit:
        staff_file_read(name="staff.csv", data=b"email,employment_type\na@b.go.th,civil_servant\n")
    with pytest.raises(StaffFileRejected) as wrong_type:
        staff_file_read(name="staff.pdf", data=b"%PDF")

    assert "larger than 5.0" in too_large.value.errors[0].message
    assert "more than 20,000 rows" in too_long.value.errors[0].message
    assert [(error.row, error.column) for error in no_unit.value.errors] == [(1, "unit_code")]
    assert ".pdf" in wrong_type.value.errors[0].message


# The page ----------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "staff.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("staff:import"), {"file": file})


def test_the_page_previews_then_applies_the_upload_kept_for_the_confirmation(client, public_service, manager):
    client.login(username=manager.email, password=PASSWORD)

    preview = upload(client, csv_file(person_row()))

    html = preview.content.decode()
    assert 'data-count="create">1<' in html
    assert 'data-action="create"' in html
    assert not User.objects.filter(email="somying@a1.go.th").exists()
    token = preview.context["token"]
    assert client.post(reverse("staff:import"), {"confirm": "1", "token": "stale"}).status_code == 302
    assert not User.objects.filter(email="somying@a1.go.th").exists()

    confirmed = client.post(reverse("staff:import"), {"confirm": "1", "token": token})

    assert confirmed.status_code == 302
    assert User.objects.get(email="somying@a1.go.th").profile.unit == public_service["DIV-A1-HR"]
    assert SESSION_KEY not in client.session


def test_the_page_shows_row_errors_and_offers_no_confirmation(client, public_service, manager):
    client.login(username=manager.email, password=PASSWORD)

    page = upload(client, csv_file(person_row(), person_row(email="x@a1.go.th", unit_code="NOPE")))

    html = page.content.decode()
    assert 'data-row="3" data-column="unit_code"' in html
    assert 'name="confirm"' not in html
    assert SESSION_KEY not in client.session


def test_the_page_is_for_hr_managers_and_platform_administrators_only(client, public_service):
    person = learner_in(public_service["DEPT-A1"])
    client.login(username=person.email, password=PASSWORD)

    assert client.get(reverse("staff:import")).status_code == 403


def confirm(client, token: str):
    return client.post(reverse("staff:import"), {"confirm": "1", "token": token}, follow=True)


def test_the_session_holds_no_ones_data_and_the_kept_file_is_gone_after_the_confirmation(
    client, public_service, manager
):
    client.login(username=manager.email, password=PASSWORD)
    preview = upload(client, csv_file(person_row()))
    token = preview.context["token"]

    kept = client.session[SESSION_KEY]
    sealed = cache.get(CACHE_KEY_PREFIX + token)
    assert set(kept) == {"id", "key"}
    assert "somying" not in str(dict(client.session))
    assert b"somying" not in sealed

    confirm(client, token)
    assert User.objects.filter(email="somying@a1.go.th").exists()
    assert cache.get(CACHE_KEY_PREFIX + token) is None
    assert SESSION_KEY not in client.session

    User.objects.filter(email="somying@a1.go.th").delete()
    again = confirm(client, token)
    assert "This preview is no longer current" in again.content.decode()
    assert not User.objects.filter(email="somying@a1.go.th").exists()


def test_an_expired_preview_is_refused_and_imports_nothing(client, public_service, manager, settings):
    client.login(username=manager.email, password=PASSWORD)
    token = upload(client, csv_file(person_row())).context["token"]
    cache.delete(CACHE_KEY_PREFIX + token)  # what the cache does after IMPORT_PREVIEW_MAX_AGE

    response = confirm(client, token)

    assert "This preview is no longer current. Upload the file again." in response.content.decode()
    assert not User.objects.filter(email="somying@a1.go.th").exists()


def test_a_preview_outlives_its_cache_entry_no_longer_than_its_age(client, public_service, manager, settings):
    client.login(username=manager.email, password=PASSWORD)
    token = upload(client, csv_file(person_row())).context["token"]
    settings.IMPORT_PREVIEW_MAX_AGE = -1  # the encrypted file carries its time: older than the age

    response = confirm(client, token)

    assert "This preview is no longer current" in response.content.decode()
    assert not User.objects.filter(email="somying@a1.go.th").exists()


def test_another_persons_preview_cannot_be_confirmed(client, public_service, manager):
    client.login(username=manager.email, password=PASSWORD)
    token = upload(client, csv_file(person_row())).context["token"]
    colleague = hr_manager_of(public_service["DEPT-A1"], preferred_language="en")

    client.logout()
    client.login(username=colleague.email, password=PASSWORD)
    response = confirm(client, token)

    assert "This preview is no longer current" in response.content.decode()
    assert not User.objects.filter(email="somying@a1.go.th").exists()


def test_a_confirmation_that_fails_halfway_leaves_nothing_done(client, public_service, manager, monkeypatch):
    client.login(username=manager.email, password=PASSWORD)
    existing = learner_in(public_service["DIV-A1-HR"], email="existing@a1.go.th")
    token = upload(
        client,
        csv_file(person_row(), person_row(email=existing.email, position_title="หัวหน้า", employee_number="X")),
    ).context["token"]
    saves = []
    real_save = LearnerProfile.save

    def save_then_fail(profile, *args, **kwargs):
        saves.append(profile)
        if len(saves) == 2:
            raise IntegrityError("someone else wrote this person")
        return real_save(profile, *args, **kwargs)

    monkeypatch.setattr(LearnerProfile, "save", save_then_fail)

    response = confirm(client, token)

    assert "Nothing was imported" in response.content.decode()
    assert not User.objects.filter(email="somying@a1.go.th").exists()
    existing.profile.refresh_from_db()
    assert existing.profile.employee_number != "X"


def test_a_national_id_is_checked_and_kept_only_as_its_keyed_hash(public_service, manager):
    from people.national_id import national_id_hash

    existing = learner_in(public_service["DEPT-A1"], email="has.id@a1.go.th")
    existing.national_id_hash = national_id_hash("3100600123450")
    existing.save()
    refused = staff_import(
        rows=read(
            person_row(email="a@a1.go.th", national_id="1101700230709"),  # wrong check digit
            person_row(email="b@a1.go.th", national_id="1-1017-00230-70-8"),
            person_row(email="c@a1.go.th", national_id="1101700230708"),  # the same person twice
            person_row(email="d@a1.go.th", national_id="3100600123450"),  # another account's
        ),
        importer=manager,
        apply=True,
    )
    assert not refused.applied
    assert problems(refused) == {(2, "national_id"), (4, "national_id"), (5, "national_id")}
    assert "13 digits" in refused.errors[0].message

    done = staff_import(
        rows=read(person_row(email="b@a1.go.th", national_id="1-1017-00230-70-8")),
        importer=manager,
        apply=True,
    )
    assert done.applied
    made = User.objects.get(email="b@a1.go.th")
    assert made.national_id_hash == national_id_hash("1101700230708")
    assert "1101700230708" not in str(list(User.objects.values()))
    # Sent again with an empty cell: the number stays; with the same number: unchanged.
    again = staff_import(
        rows=read(person_row(email="b@a1.go.th", national_id=""), person_row(email="has.id@a1.go.th",
                  national_id="3100600123450", unit_code="DEPT-A1")),
        importer=manager,
        apply=True,
    )  # fmt: skip
    assert again.applied
    assert "national_id" not in again.plans[0].changed
    assert "national_id" not in again.plans[1].changed
    made.refresh_from_db()
    assert made.national_id_hash == national_id_hash("1101700230708")


def test_a_national_id_row_for_an_address_outside_the_importers_units_reveals_nothing(
    public_service, manager
):
    from people.national_id import national_id_hash

    elsewhere = learner_in(public_service["MIN-B"], email="elsewhere@b.go.th")
    elsewhere.national_id_hash = national_id_hash("3100600123450")
    elsewhere.save()
    as_new = staff_import(
        rows=read(person_row(email="elsewhere@b.go.th", national_id="1101700230708")),
        importer=manager,
        apply=False,
    )
    unknown = staff_import(
        rows=read(person_row(email="nobody@a1.go.th", national_id="1101700230708")),
        importer=manager,
        apply=False,
    )
    assert as_new.errors == unknown.errors == []
