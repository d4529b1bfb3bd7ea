"""The demo's people: the six documented accounts (product.md, "Public interfaces") and a
few colleagues in other agencies, so that HR scoping has someone to hide."""

from dataclasses import dataclass, field

DEMO_PASSWORD = "thaksa-demo-2569"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    title: str
    first_name: str
    last_name: str
    first_name_en: str
    last_name_en: str
    unit_code: str | None = None
    employment_type: str = "civil_servant"
    position_title: str = ""
    position_type: str = ""
    position_level: str = ""
    role_group_code: str = ""
    roles: list[tuple[str, str | None]] = field(default_factory=list)  # (role, unit or partner code)
    superuser: bool = False
    description: str = ""


DEMO_PARTNERS = [
    {
        "code": "chula", "kind": "university", "name_th": "จุฬาลงกรณ์มหาวิทยาลัย",
        "name_en": "Chulalongkorn University", "short_name_th": "จุฬาฯ", "short_name_en": "CU",
        "website": "https://www.chula.ac.th",
    },
    {
        "code": "tu", "kind": "university", "name_th": "มหาวิทยาลัยธรรมศาสตร์",
        "name_en": "Thammasat University", "short_name_th": "มธ.", "short_name_en": "TU",
        "website": "https://tu.ac.th",
    },
    {
        "code": "kmutt", "kind": "university", "name_th": "มหาวิทยาลัยเทคโนโลยีพระจอมเกล้าธนบุรี",
        "name_en": "King Mongkut's University of Technology Thonburi", "short_name_th": "มจธ.",
        "short_name_en": "KMUTT", "website": "https://www.kmutt.ac.th",
    },
]  # fmt: skip

DEMO_PEOPLE = [
    DemoPerson(
        "admin@thaksa.test", "mr", "ธนกร", "ประเสริฐวงศ์", "Thanakorn", "Prasertwong",
        unit_code="DGA", employment_type="public_organisation_staff",
        position_title="ผู้ดูแลระบบ", roles=[("platform_admin", None)], superuser=True,
        description="platform administrator",
    ),
    DemoPerson(
        "reviewer@thaksa.test", "dr", "ปิยะนุช", "แก้วมณี", "Piyanuch", "Kaewmanee",
        unit_code="DGA", employment_type="public_organisation_staff",
        position_title="ผู้ตรวจสอบหลักสูตร", roles=[("platform_reviewer", None)],
        description="platform reviewer",
    ),
    DemoPerson(
        "dpo@thaksa.test", "mrs", "ศศิธร", "นิติธรรม", "Sasithorn", "Nititham",
        unit_code="DGA", employment_type="public_organisation_staff",
        position_title="เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", roles=[("data_protection_officer", None)],
        description="data protection officer",
    ),
    DemoPerson(
        "author@thaksa.test", "asst_prof_dr", "กิตติพงษ์", "ชัยมงคล", "Kittipong", "Chaimongkol",
        roles=[("partner_author", "chula")], description="author, Chulalongkorn University",
    ),
    DemoPerson(
        "partner.reviewer@thaksa.test", "assoc_prof", "อรุณี", "พัฒนกุล", "Arunee", "Pattanakul",
        roles=[("partner_reviewer", "chula")], description="reviewer, Chulalongkorn University",
    ),
    DemoPerson(
        "hr@thaksa.test", "mrs", "วิไลวรรณ", "ศรีสุข", "Wilaiwan", "Srisuk",
        unit_code="MDES-NSO-HR", position_title="นักทรัพยากรบุคคลชำนาญการพิเศษ",
        position_type="knowledge_worker", position_level="senior_professional",
        role_group_code="TPQI-NONIT-SUP", roles=[("hr_manager", "MDES-NSO")],
        description="HR manager, National Statistical Office (and its divisions)",
    ),
    DemoPerson(
        "learner@thaksa.test", "miss", "สุภาพร", "วงศ์สวัสดิ์", "Supaporn", "Wongsawat",
        unit_code="MDES-NSO-ICT", position_title="นักวิชาการคอมพิวเตอร์ชำนาญการ",
        position_type="knowledge_worker", position_level="professional", role_group_code="TPQI-IT-OP",
        description="learner, National Statistical Office",
    ),
    # Colleagues inside the HR manager's department ...
    DemoPerson(
        "somchai.j@thaksa.test", "mr", "สมชาย", "ใจดี", "Somchai", "Jaidee",
        unit_code="MDES-NSO-SEC", position_title="นักจัดการงานทั่วไปปฏิบัติการ",
        position_type="knowledge_worker", position_level="practitioner", role_group_code="TPQI-NONIT-OP",
    ),
    DemoPerson(
        "kannika.r@thaksa.test", "mrs", "กรรณิกา", "รักษ์ไทย", "Kannika", "Rakthai",
        unit_code="MDES-NSO", position_title="ผู้อำนวยการสำนักงานสถิติแห่งชาติ",
        position_type="executive", position_level="executive_higher", role_group_code="TPQI-NONIT-EXE",
    ),
    DemoPerson(
        "nattapong.s@thaksa.test", "mr", "ณัฐพงษ์", "สุขเจริญ", "Nattapong", "Sukcharoen",
        unit_code="MDES-NSO-ICT", employment_type="government_employee",
        position_title="นักวิชาการคอมพิวเตอร์", role_group_code="TPQI-IT-OP",
    ),
    # ... and outside it, whom that HR manager must never see.
    DemoPerson(
        "pimchanok.t@thaksa.test", "miss", "พิมพ์ชนก", "ทองดี", "Pimchanok", "Thongdee",
        unit_code="MOF-RD-ICT", position_title="นักวิชาการคอมพิวเตอร์ปฏิบัติการ",
        position_type="knowledge_worker", position_level="practitioner", role_group_code="TPQI-IT-OP",
    ),
    DemoPerson(
        "wichai.k@thaksa.test", "mr", "วิชัย", "กล้าหาญ", "Wichai", "Klahan",
        unit_code="MOI-DOPA-HR", position_title="นักทรัพยากรบุคคลชำนาญการ",
        position_type="knowledge_worker", position_level="professional", role_group_code="TPQI-NONIT-OP",
    ),
    DemoPerson(
        "araya.m@thaksa.test", "mrs", "อารยา", "มั่นคง", "Araya", "Mankong",
        unit_code="MDES-TMD", position_title="นักอุตุนิยมวิทยาชำนาญการ",
        position_type="knowledge_worker", position_level="professional", role_group_code="TPQI-NONIT-OP",
    ),
    DemoPerson(
        "jirayu.p@thaksa.test", "mr", "จิรายุ", "พรหมมา", "Jirayu", "Promma",
        unit_code="ETDA", employment_type="public_organisation_staff",
        position_title="นักวิเคราะห์ความมั่นคงปลอดภัยไซเบอร์", role_group_code="TPQI-IT-OP",
    ),
]  # fmt: skip
