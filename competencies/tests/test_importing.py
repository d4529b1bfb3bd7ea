"""Framework files: every problem reported where it is, all-or-nothing imports that can be
repeated, competencies in use never removed, the shipped frameworks, CSV = JSON, other
frameworks (UK DDaT, SFIA) fitting the model, and `manage.py competencies_load`."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from competencies.importing import framework_document_from_data, framework_file_read
from competencies.models import (
    CompetencyEvidence,
    CompetencyFramework,
    CompetencyMapping,
    CompetencyNode,
    LevelDescriptor,
    RoleRequirement,
)
from competencies.services.frameworks import (
    SHIPPED_FRAMEWORKS_DIR,
    FrameworkImportRefused,
    framework_import,
    frameworks_import,
    frameworks_load_shipped,
    frameworks_preview,
)
from competencies.services.role_groups import role_groups_import
from competencies.tests.factories import EvidenceFactory
from courses.models import CourseCompetencyTarget
from courses.tests.factories import course_with_lessons
from people.models import RoleGroup
from people.tests.factories import LearnerProfileFactory, RoleGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def small_framework() -> dict:
    """A framework as a JSON file holds it: two areas, three competences, a 1–4 scale."""
    return {
        "framework": {
            "code": "PDS",
            "version": "2025",
            "name_th": "สมรรถนะดิจิทัลทดลอง",
            "name_en": "Pilot digital skills",
            "status": "current",
            "published_on": "2025-01-15",
        },
        "scale": {
            "name_th": "ระดับ",
            "levels": [{"value": value, "name_th": f"ระดับ {value}"} for value in (1, 2, 3, 4)],
        },
        "nodes": [
            {"code": "A", "kind": "area", "is_core": True, "name_th": "การรู้ดิจิทัล"},
            {"code": "A-1", "parent": "A", "name_th": "ใช้คอมพิวเตอร์", "name_en": "Using computers"},
            {"code": "A-2", "parent": "A", "name_th": "ค้นหาข้อมูล"},
            {"code": "B", "kind": "area", "name_th": "ความปลอดภัย"},
            {"code": "B-1", "parent": "B", "name_th": "รหัสผ่าน"},
        ],
        "descriptors": [
            {"node": "A-1", "level": 1, "text_th": "เปิดเครื่องได้"},
            {"node": "A-1", "level": 4, "text_th": "สอนผู้อื่นได้", "text_en": "Teaches others."},
        ],
        "role_groups": [
            {"code": "PDS-ALL", "name_th": "ทุกคน"},
            {"code": "PDS-IT", "parent": "PDS-ALL", "name_th": "ไอที"},
        ],
        "requirements": [
            {"role_group": "PDS-ALL", "node": "A-1", "level": 2},
            {"role_group": "PDS-IT", "node": "B-1", "level": 3},
        ],
    }


def problems_of(document) -> set[tuple]:
    return {(problem.row or problem.where.path, problem.field) for problem in document.problems}


def refused(documents) -> list:
    with pytest.raises(FrameworkImportRefused) as refusal:
        frameworks_import(documents=documents)
    return refusal.value.problems


def stored_state() -> dict:
    """Everything a framework import writes, as plain values."""
    return {
        "frameworks": sorted(
            CompetencyFramework.objects.values_list(
                "code", "version", "name_th", "status", "supersedes__code"
            )
        ),
        "nodes": sorted(
            CompetencyNode.objects.values_list(
                "framework__code",
                "code",
                "parent__code",
                "kind",
                "name_th",
                "name_en",
                "is_core",
                "sort_order",
            )
        ),
        "descriptors": sorted(
            LevelDescriptor.objects.values_list("node__code", "level__value", "text_th", "text_en")
        ),
        "groups": sorted(RoleGroup.objects.values_list("code", "parent__code", "name_th", "framework__code")),
        "requirements": sorted(
            RoleRequirement.objects.values_list("role_group__code", "node__code", "required_level")
        ),
        "mappings": sorted(
            CompetencyMapping.objects.values_list(
                "source__code", "target__framework__code", "target__code", "relation"
            )
        ),
    }


# Reading: every problem, where it is ------------------------------------------------------------


BAD_CSV = (
    "\ufeffrecord,code,version,parent,kind,level,name_th,name_en,is_core,node,role_group,text_th,published_on\n"
    """framework,PDS,2025,,,,สมรรถนะดิจิทัลทดลอง,Pilot,,,,,18/11/2567
level,,,,,1,เริ่มต้น,,,,,,
level,,,,,2,พื้นฐาน,,,,,,
node,A,,,area,,การรู้ดิจิทัล,,yes,,,,
node,A-1,,Z,,,ใช้คอมพิวเตอร์,,,,,,
node,A-1,,A,,,ซ้ำ,,,,,,
node,A-2,,A,,,,Searching,,,,,
node,A-3,,A,,,ค้นหา,,maybe,,,,
node,L1,,L2,,,วน 1,,,,,,
node,L2,,L1,,,วน 2,,,,,,
node,A 4,,A,,,เว้นวรรค,,,,,,
descriptor,,,,,7,,,,A,,ระดับที่ไม่มี,
requirement,,,,,2,,,,NOPE,PDS-ALL,,
role_group,PDS-ALL,,,,,ทุกคน,,,,,,
nonsense,,,,,,,,,,,,
"""
)


def test_every_problem_in_a_csv_is_reported_with_its_row_and_column():
    document = framework_file_read(name="pilot.csv", data=BAD_CSV.encode("utf-8"))
    assert (
        document.framework.published_on.isoformat() == "2024-11-18"
    )  # a Buddhist-era date, as Excel shows it
    found = problems_of(document)
    assert (6, "parent") in found  # unknown parent code
    assert (7, "code") in found  # duplicate code
    assert (8, "name_th") in found  # missing Thai name
    assert (9, "is_core") in found  # not yes or no
    assert (10, "parent") in found  # L1 and L2 are inside each other
    assert (12, "code") in found  # a space in a code
    assert (13, "level") in found  # level 7 of a 1–2 scale
    assert (14, "node") in found  # a requirement for an unknown competency
    assert (16, "record") in found  # not a kind of row
    messages = {problem.row: problem.message for problem in document.problems}
    assert "“Z”" in messages[6]
    assert "L1 → L2 → L1" in messages[10]
    assert "outside the scale (1–2)" in messages[13]
    assert all(problem.source == "pilot.csv" for problem in document.problems)
    assert str(document.problems[0]).startswith("pilot.csv, row ")


def test_problems_in_a_json_file_are_reported_with_their_path():
    data = small_framework()
    data["framework"]["status"] = "withdrawn"
    data["framework"]["supersedes"] = {"code": "PDS"}
    data["nodes"][1]["parent"] = "Q"
    data["nodes"].append({"code": "C", "name_en": "No Thai name", "colour": "red"})
    data["descriptors"].append({"node": "A-2", "level": 5, "text_th": "เกินมาตราส่วน"})
    data["requirements"].append({"role_group": "PDS-ALL", "node": "A-1", "level": 3})
    data["mappings"] = [{"node": "A-1", "target": {"framework": "PDS", "version": "2025", "node": "A-2"}}]
    document = framework_file_read(name="pilot.json", data=json.dumps(data).encode())
    assert problems_of(document) >= {
        ("framework", "status"),
        ("framework", "supersedes"),
        ("nodes[1]", "parent"),
        ("nodes[5]", "name_th"),
        ("nodes[5]", "colour"),
        ("descriptors[2]", "level"),
        ("requirements[2]", "node"),
        ("mappings[0]", "target_framework"),
    }
    broken = framework_file_read(name="pilot.json", data=b'{"framework": {"code": "X",}')
    assert broken.problems[0].where.path.startswith("line 1, column")


def test_a_csv_reads_the_same_with_or_without_a_byte_order_mark_and_with_semicolons():
    text = "record,code,version,level,name_th\nframework,PDS,1,,ทดลอง\nlevel,,,1,เริ่มต้น\nnode,A,,,ด้าน\n"
    plain = framework_file_read(name="a.csv", data=text.encode("utf-8"))
    with_bom = framework_file_read(name="a.csv", data=b"\xef\xbb\xbf" + text.encode("utf-8"))
    semicolons = framework_file_read(name="a.csv", data=text.replace(",", ";").encode("utf-8"))
    assert not plain.problems
    assert plain == with_bom == semicolons
    assert plain.nodes[0].name_th == "ด้าน"


def test_a_framework_sheet_keeps_to_the_limits_of_every_uploaded_spreadsheet(monkeypatch):
    from lms.spreadsheets import reading

    text = "record,code,version,level,name_th\nframework,PDS,1,,ทดลอง\nlevel,,,1,เริ่มต้น\nnode,A,,,ด้าน\n"
    assert not framework_file_read(name="a.csv", data=text.encode("utf-8")).problems
    monkeypatch.setattr(reading, "MAX_ROWS", 2)

    (problem,) = framework_file_read(name="a.csv", data=text.encode("utf-8")).problems
    assert "more than 2 rows" in problem.message


def test_files_that_are_not_text_are_refused_with_what_to_do():
    workbook = framework_file_read(name="a.csv", data=b"PK\x03\x04rest-of-a-zip")
    assert "CSV UTF-8" in workbook.problems[0].message
    no_record = framework_file_read(name="a.csv", data=b"code,name_th\nA,x\n")
    assert (1, "record") in problems_of(no_record)


# Importing: repeatable, all or nothing ---------------------------------------------------------


def test_importing_the_same_file_again_updates_it_and_duplicates_nothing():
    framework = framework_import(document=small_framework())
    assert framework.scale.levels.count() == 4
    assert framework.nodes.get(code="A-1").parent.code == "A"
    assert RoleGroup.objects.get(code="PDS-IT").parent.code == "PDS-ALL"
    first = stored_state()
    updated_before = CompetencyFramework.objects.get().updated_at

    framework_import(document=small_framework())
    assert stored_state() == first
    assert CompetencyFramework.objects.get().updated_at == updated_before  # nothing changed, nothing written

    data = small_framework()
    data["nodes"][1]["name_th"] = "ใช้คอมพิวเตอร์และอุปกรณ์"
    data["descriptors"][0]["text_th"] = "เปิดเครื่องและเข้าระบบได้"
    data["requirements"][0]["level"] = 3
    data["requirements"].append({"role_group": "PDS-IT", "node": "A-2", "level": 2})
    data["nodes"].pop(3)  # B is gone …
    data["nodes"][-1]["parent"] = "A"  # … and B-1 moved under A
    preview = frameworks_preview(documents=[data]).changes[0]
    assert (preview.nodes.changed, preview.nodes.removed) == (["A-1", "B-1"], ["B"])
    assert preview.requirements.added == [("PDS-IT", "A-2")]
    assert preview.requirements.changed == [("PDS-ALL", "A-1")]
    framework_import(document=data)
    assert CompetencyFramework.objects.count() == 1
    assert list(framework.nodes.order_by("code").values_list("code", flat=True)) == ["A", "A-1", "A-2", "B-1"]
    assert framework.nodes.get(code="A-1").name_th == "ใช้คอมพิวเตอร์และอุปกรณ์"
    assert LevelDescriptor.objects.get(node__code="A-1", level__value=1).text_th == "เปิดเครื่องและเข้าระบบได้"
    assert RoleRequirement.objects.get(role_group__code="PDS-ALL").required_level == 3
    assert RoleRequirement.objects.count() == 3


def test_a_refused_import_changes_nothing_and_lists_every_problem():
    framework_import(document=small_framework())
    before = stored_state()
    data = small_framework()
    data["framework"]["name_th"] = "ชื่อใหม่"
    data["nodes"][1]["name_th"] = "ชื่อใหม่"
    data["requirements"].append({"role_group": "NOBODY", "node": "A-1", "level": 1})
    data["mappings"] = [{"node": "A-1", "target": {"framework": "DIGCOMP", "version": "9", "node": "1.1"}}]
    problems = refused([data])
    assert {(problem.where.path, problem.field) for problem in problems} == {
        ("requirements[2]", "role_group"),
        ("mappings[0]", "target_framework"),
    }
    assert "not loaded" in str(problems[1]) or "not loaded" in str(problems[0])
    assert stored_state() == before


def test_a_competency_that_courses_or_evidence_point_at_is_never_removed():
    framework = framework_import(document=small_framework())
    used = framework.nodes.get(code="A-2")
    evidence = EvidenceFactory(node=used, level=2)
    course = course_with_lessons(lessons=1)
    CourseCompetencyTarget.objects.create(
        course=course, competency=framework.nodes.get(code="B-1"), competency_code="B-1",
        competency_name_th="รหัสผ่าน", target_level=2,
    )  # fmt: skip
    data = small_framework()
    data["nodes"] = [node for node in data["nodes"] if node["code"] not in ("A-2", "B-1")]
    data["requirements"] = [r for r in data["requirements"] if r["node"] != "B-1"]
    problems = refused([data])
    messages = " ".join(problem.message for problem in problems)
    assert "“A-2”" in messages
    assert "1 evidence record" in messages
    assert "“B-1”" in messages
    assert "1 course target" in messages
    assert CompetencyEvidence.objects.filter(pk=evidence.pk).exists()
    assert framework.nodes.filter(code__in=["A-2", "B-1"]).count() == 2

    # Nor may the scale shrink below the levels evidence holds.
    evidence.level = 4
    evidence.save()
    data = small_framework()
    data["scale"]["levels"].pop()
    data["descriptors"].pop()
    problems = refused([data])
    assert problems[0].field == "level"
    assert "levels up to 4" in problems[0].message


def test_a_role_group_people_belong_to_is_not_removed_and_groups_of_another_framework_are_not_taken():
    framework_import(document=small_framework())
    LearnerProfileFactory(role_group=RoleGroup.objects.get(code="PDS-IT"))
    data = small_framework()
    data["role_groups"].pop()
    data["requirements"].pop()
    problems = refused([data])
    assert "“PDS-IT”" in problems[0].message
    assert "1 person" in problems[0].message

    other = small_framework()
    other["framework"]["code"] = "OTHER"
    problems = refused([other])
    assert {(p.where.path, p.field) for p in problems} == {
        ("role_groups[0]", "code"),
        ("role_groups[1]", "code"),
    }

    # A group that exists without a framework (as the demo seeds the OCSC groups) is adopted.
    RoleGroupFactory(code="LOOSE")
    other["role_groups"] = [{"code": "LOOSE", "name_th": "กลุ่มที่รับมา"}]
    other["requirements"] = [{"role_group": "LOOSE", "node": "A-1", "level": 1}]
    framework = framework_import(document=other)
    assert RoleGroup.objects.get(code="LOOSE").framework == framework


# The shipped frameworks --------------------------------------------------------------------


def test_the_shipped_frameworks_load_in_dependency_order_and_load_again_without_duplicates():
    frameworks = frameworks_load_shipped()
    assert [f"{f.code} {f.version}" for f in frameworks] == ["DIGCOMP 2.2", "OCSC-DS 2018", "TPQI-DSC 2024"]
    tpqi = CompetencyFramework.objects.get(code="TPQI-DSC")
    ocsc = CompetencyFramework.objects.get(code="OCSC-DS")
    assert tpqi.supersedes == ocsc
    assert ocsc.status == "superseded"
    areas = tpqi.nodes.filter(kind="area")
    assert set(areas.filter(is_core=True).values_list("name_en", flat=True)) == {
        "Digital Literacy",
        "Digital Governance (laws and regulations)",
        "Digital Leadership",
    }
    assert areas.filter(is_core=False).count() == 4
    assert tpqi.scale.levels.count() == 5
    leaves = RoleGroup.objects.filter(framework=tpqi, parent__isnull=False)
    assert leaves.count() == 6
    for group in leaves:  # the core areas are required of everyone
        required_areas = set(group.requirements.values_list("node__parent__code", flat=True))
        assert {"LIT", "GOV", "LEAD"} <= required_areas
    assert set(RoleGroup.objects.filter(framework=ocsc).values_list("code", flat=True)) == {
        "CIO", "EXE", "MGT", "ACA", "SRV", "TEC", "OTH",
    }  # fmt: skip
    assert CompetencyMapping.objects.filter(source__framework=ocsc, target__framework=tpqi).count() == 10
    digcomp = CompetencyFramework.objects.get(code="DIGCOMP")
    competences = digcomp.nodes.filter(kind="competence")
    assert competences.count() == 21
    assert digcomp.nodes.filter(kind="area").count() == 5
    assert competences.get(code="5.4").name_en == "Identifying digital competence gaps"
    assert list(digcomp.scale.levels.values_list("value", "band_en")) == [
        (1, "Foundation"), (2, "Foundation"), (3, "Intermediate"), (4, "Intermediate"),
        (5, "Advanced"), (6, "Advanced"), (7, "Highly specialised"), (8, "Highly specialised"),
    ]  # fmt: skip

    first = stored_state()
    frameworks_load_shipped()
    assert stored_state() == first


def test_the_ocsc_role_groups_file_and_the_ocsc_framework_agree_whichever_loads_first():
    groups = json.loads(
        (SHIPPED_FRAMEWORKS_DIR.parent / "role_groups_ocsc_2018.json").read_text(encoding="utf-8")
    )
    role_groups_import(groups=groups)
    frameworks_load_shipped()
    role_groups_import(groups=groups)
    ocsc = CompetencyFramework.objects.get(code="OCSC-DS")
    assert RoleGroup.objects.filter(code__in=[group["code"] for group in groups]).count() == 7
    assert set(RoleGroup.objects.filter(framework=ocsc).values_list("code", "name_th")) == {
        (group["code"], group["name_th"]) for group in groups
    }


def test_the_shipped_csv_is_the_same_framework_as_the_json():
    as_json = framework_file_read(
        name="tpqi-dsc-2024.json", data=(SHIPPED_FRAMEWORKS_DIR / "tpqi-dsc-2024.json").read_bytes()
    )
    as_csv = framework_file_read(
        name="tpqi-dsc-2024.csv", data=(SHIPPED_FRAMEWORKS_DIR / "tpqi-dsc-2024.csv").read_bytes()
    )
    assert not as_json.problems
    assert not as_csv.problems
    assert as_csv == as_json
    assert (
        (SHIPPED_FRAMEWORKS_DIR / "tpqi-dsc-2024.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    )  # as Excel writes
    frameworks_load_shipped()
    assert not frameworks_preview(documents=[as_csv]).changes[0].changes_anything


# Other frameworks fit the same model -------------------------------------------------------------


def test_the_uk_ddat_framework_fits_role_family_role_level_and_skills():
    ddat = {
        "framework": {"code": "UK-DDAT", "version": "2024",
                      "name_th": "กรอบขีดความสามารถดิจิทัลและข้อมูลของรัฐบาลสหราชอาณาจักร",
                      "name_en": "Government Digital and Data Profession Capability Framework"},
        "scale": {"name_th": "ระดับทักษะ", "name_en": "Skill levels", "levels": [
            {"value": 1, "code": "awareness", "name_th": "รับรู้", "name_en": "Awareness"},
            {"value": 2, "code": "working", "name_th": "ทำงานได้", "name_en": "Working"},
            {"value": 3, "code": "practitioner", "name_th": "ผู้ปฏิบัติ", "name_en": "Practitioner"},
            {"value": 4, "code": "expert", "name_th": "ผู้เชี่ยวชาญ", "name_en": "Expert"},
        ]},
        "nodes": [
            {"code": "DATA-ANALYSIS", "kind": "skill", "name_th": "การวิเคราะห์ข้อมูล",
             "name_en": "Data analysis"},
            {"code": "DATA-VIS", "kind": "skill", "name_th": "การนำเสนอข้อมูลด้วยภาพ",
             "name_en": "Data visualisation"},
        ],
        "role_groups": [
            {"code": "DDAT-DATA", "name_th": "สายงานข้อมูล", "name_en": "Data job family"},
            {"code": "DDAT-DA", "parent": "DDAT-DATA", "name_th": "นักวิเคราะห์ข้อมูล", "name_en": "Data analyst"},
            {"code": "DDAT-DA-JR", "parent": "DDAT-DA", "name_th": "นักวิเคราะห์ข้อมูลระดับต้น",
             "name_en": "Junior data analyst"},
            {"code": "DDAT-DA-LEAD", "parent": "DDAT-DA", "name_th": "หัวหน้านักวิเคราะห์ข้อมูล",
             "name_en": "Lead data analyst"},
        ],
        "requirements": [
            {"role_group": "DDAT-DA-JR", "node": "DATA-ANALYSIS", "level": 2},
            {"role_group": "DDAT-DA-JR", "node": "DATA-VIS", "level": 1},
            {"role_group": "DDAT-DA-LEAD", "node": "DATA-ANALYSIS", "level": 4},
            {"role_group": "DDAT-DA-LEAD", "node": "DATA-VIS", "level": 3},
        ],
    }  # fmt: skip
    framework = framework_import(document=ddat)
    lead = RoleGroup.objects.get(code="DDAT-DA-LEAD")
    assert (lead.parent.code, lead.parent.parent.code) == ("DDAT-DA", "DDAT-DATA")  # family → role → level
    levels = {level.value: level.code for level in framework.scale.levels.all()}
    required = {r.node.code: levels[r.required_level] for r in lead.requirements.select_related("node")}
    assert required == {"DATA-ANALYSIS": "expert", "DATA-VIS": "practitioner"}
    assert set(framework.nodes.values_list("kind", flat=True)) == {"skill"}


def test_an_sfia_like_framework_defines_skills_only_at_some_levels():
    sfia = {
        "framework": {"code": "SFIA", "version": "9", "name_th": "กรอบทักษะสำหรับยุคสารสนเทศ",
                      "name_en": "SFIA"},
        "scale": {"name_th": "ระดับความรับผิดชอบ", "levels": [
            {"value": value, "name_th": name} for value, name in enumerate(
                ["ติดตาม", "ช่วยเหลือ", "ประยุกต์", "ทำให้เกิดผล", "รับรองผล", "ริเริ่ม", "กำหนดกลยุทธ์"], start=1
            )
        ]},
        "nodes": [
            {"code": "STRATEGY", "kind": "area", "name_th": "กลยุทธ์และสถาปัตยกรรม"},
            {"code": "PROG", "parent": "STRATEGY", "kind": "skill", "name_th": "การพัฒนาโปรแกรม"},
            {"code": "ITSP", "parent": "STRATEGY", "kind": "skill", "name_th": "การวางแผนกลยุทธ์"},
        ],
        "descriptors": [
            *({"node": "PROG", "level": level, "text_th": f"เขียนโปรแกรมระดับ {level}"}
              for level in (2, 3, 4, 5, 6)),
            *({"node": "ITSP", "level": level, "text_th": f"วางแผนระดับ {level}"} for level in (5, 6, 7)),
        ],
    }  # fmt: skip
    framework = framework_import(document=sfia)
    assert framework.scale.levels.count() == 7
    prog = framework.nodes.get(code="PROG")
    assert list(prog.descriptors.values_list("level__value", flat=True)) == [2, 3, 4, 5, 6]
    assert list(framework.nodes.get(code="ITSP").descriptors.values_list("level__value", flat=True)) == [
        5,
        6,
        7,
    ]


# manage.py competencies_load ------------------------------------------------------------------


def test_the_command_loads_the_shipped_frameworks_and_prints_a_summary():
    out = io.StringIO()
    call_command("competencies_load", "--dry-run", stdout=out)
    assert not CompetencyFramework.objects.exists()
    assert "TPQI-DSC 2024" in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    out = io.StringIO()
    call_command("competencies_load", stdout=out)
    text = out.getvalue()
    assert CompetencyFramework.objects.count() == 3
    assert "สมรรถนะสนับสนุนการทำงานด้านดิจิทัลสำหรับข้าราชการและบุคลากรภาครัฐ" in text  # Thai …
    assert "Digital Supporting Competency for Civil Servants" in text  # … and English
    assert "32 competencies" in text
    assert "129 requirements" in text


def test_the_command_prints_every_problem_with_its_row_and_exits_with_status_1(tmp_path):
    path = tmp_path / "pilot.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(small_framework()), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed") as failure:
        call_command("competencies_load", str(good), str(path), stdout=out, stderr=out)
    assert failure.value.returncode == 1
    printed = out.getvalue()
    assert "pilot.csv, row 6, parent:" in printed
    assert "pilot.csv, row 13, level:" in printed
    assert not CompetencyFramework.objects.exists()  # not even the good file


def test_reading_a_document_written_in_code_gives_the_same_as_its_json_file():
    data = small_framework()
    assert framework_document_from_data(copy.deepcopy(data)) == framework_file_read(
        name="pilot.json", data=json.dumps(data, ensure_ascii=False).encode("utf-8")
    )
