"""The platform's own record of processing activities and its first privacy notice, in Thai
and English: what a fresh platform publishes before anybody signs in."""

from privacy.models import LawfulBasis, PrivacyNotice, ProcessingActivity
from privacy.services import notice_publish

PROCESSING = [
    {
        "name_th": "บัญชีผู้ใช้และการเรียนตามที่หน่วยงานมอบหมาย",
        "name_en": "Accounts and the training agencies assign",
        "purpose_th": "สร้างบัญชีจากข้อมูลที่ฝ่ายบุคคลส่งมา ให้ผู้เรียนเข้าเรียน บันทึกความก้าวหน้า ผลแบบทดสอบ และชั่วโมงการเรียนรู้",
        "purpose_en": "Accounts from the HR file, access to courses, progress, quiz results and learning hours",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "data_subjects": "ข้าราชการ พนักงานราชการ ลูกจ้าง และเจ้าหน้าที่ของหน่วยงานรัฐ",
        "data_categories": "คำนำหน้า ชื่อ-นามสกุล (ไทย/อังกฤษ) อีเมล หน่วยงาน ตำแหน่ง ประเภทและระดับตำแหน่ง เลขประจำตัวพนักงาน ความก้าวหน้า คะแนน ข้อมูลการใช้งานบทเรียน SCORM",
        "recipients_th": "ผู้เรียนเอง ฝ่ายบุคคลของหน่วยงานต้นสังกัด (เฉพาะบุคลากรในหน่วยงานของตน) มหาวิทยาลัยและสถาบันผู้สอน (เฉพาะชื่อและหน่วยงานของผู้เรียนในรายวิชาของตน)",
        "recipients_en": "The learner; their agency's HR (their own staff only); partner universities and institutes (the name and agency of learners in their own courses only)",
        "retention_th": "ตลอดการเป็นผู้ใช้ บัญชีที่ไม่มีการใช้งาน 3 ปีจะถูกทำให้เป็นข้อมูลนิรนาม ประวัติการส่งข้อมูล SCORM แบบละเอียดเก็บ 2 ปีแล้วย่อเหลือสรุปผล",
        "retention_en": "While the account is in use; accounts unused for 3 years are anonymised; detailed SCORM histories are kept 2 years, then reduced to summaries",
        "security_measures": "เข้ารหัสระหว่างทาง สิทธิ์ตามบทบาทและขอบเขตหน่วยงาน บันทึกการเข้าถึงข้อมูลของผู้อื่น เนื้อหาของผู้สอนแยกโดเมน",
    },
    {
        "name_th": "รายงานสมรรถนะและการพัฒนาบุคลากรของหน่วยงาน",
        "name_en": "Agencies' competency and training reports",
        "purpose_th": "รายงานการพัฒนาบุคลากรและสมรรถนะดิจิทัลตามกรอบของ ก.พ. ให้หน่วยงานต้นสังกัด",
        "purpose_en": "Training and digital-competency reporting to the person's agency under the civil service's framework",
        "lawful_basis": LawfulBasis.LEGAL_OBLIGATION,
        "data_subjects": "บุคลากรของหน่วยงาน",
        "data_categories": "ชื่อ หน่วยงาน ตำแหน่ง หลักสูตรที่ได้รับมอบหมาย ผลการเรียน ระดับสมรรถนะ",
        "recipients_th": "ผู้จัดการฝ่ายบุคคลของหน่วยงานและหน่วยงานที่อยู่ภายใต้",
        "recipients_en": "HR managers of the person's unit and the units above it",
        "retention_th": "10 ปีตามระเบียบงานสารบรรณ ตัวเลขสรุปเก็บแบบไม่ระบุตัวบุคคล",
        "retention_en": "10 years under the records rules; aggregate figures kept without names",
    },
    {
        "name_th": "ประกาศนียบัตรที่ตรวจสอบได้",
        "name_en": "Verifiable certificates",
        "purpose_th": "ออกและรับรองประกาศนียบัตรเมื่อเรียนจบ ให้ผู้อื่นตรวจสอบความถูกต้องได้",
        "purpose_en": "Issuing certificates on completion and letting others verify them",
        "lawful_basis": LawfulBasis.CONTRACT,
        "data_subjects": "ผู้เรียนที่เรียนจบหลักสูตร",
        "data_categories": "ชื่อ-นามสกุล หลักสูตร วันที่สำเร็จ เลขที่ประกาศนียบัตร",
        "recipients_th": "ผู้ที่ผู้เรียนส่งประกาศนียบัตรให้ หน้าตรวจสอบสาธารณะแสดงชื่อแบบปิดบางส่วนหากผู้เรียนเลือก",
        "recipients_en": "Whoever the learner shows it to; the public check page masks the name if the learner chooses",
        "retention_th": "ตลอดอายุประกาศนียบัตร เมื่อลบข้อมูล ประกาศนียบัตรยังตรวจสอบได้โดยไม่แสดงชื่อ",
        "retention_en": "For the certificate's life; after erasure it still verifies without a name",
    },
    {
        "name_th": "บันทึกการเข้าถึงและความปลอดภัย",
        "name_en": "Access and security log",
        "purpose_th": "ป้องกันการเข้าถึงโดยมิชอบ บันทึกการเข้าสู่ระบบและการเปิดดูข้อมูลของผู้อื่น",
        "purpose_en": "Preventing misuse: sign-ins and every view of another person's records",
        "lawful_basis": LawfulBasis.LEGAL_OBLIGATION,
        "data_subjects": "ผู้ใช้ทุกคน",
        "data_categories": "รหัสผู้ใช้ เวลา ที่อยู่ไอพี เบราว์เซอร์ การกระทำ",
        "recipients_th": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลและผู้ดูแลระบบ",
        "recipients_en": "The data protection officer and platform administrators",
        "retention_th": "2 ปี",
        "retention_en": "2 years",
    },
    {
        "name_th": "อีเมลที่ไม่บังคับ",
        "name_en": "Optional e-mails",
        "purpose_th": "แจ้งเตือนก่อนประกาศนียบัตรหมดอายุ",
        "purpose_en": "Reminders before a certificate expires",
        "lawful_basis": LawfulBasis.CONSENT,
        "consent_purpose": "optional_email",
        "data_subjects": "ผู้เรียนที่ให้ความยินยอม",
        "data_categories": "ชื่อ อีเมล ประกาศนียบัตรที่ใกล้หมดอายุ",
        "recipients_th": "ไม่มีผู้รับอื่น",
        "recipients_en": "No one else",
        "retention_th": "จนกว่าจะถอนความยินยอม",
        "retention_en": "Until consent is withdrawn",
    },
]

NOTICE = {
    "introduction_th": (
        "แพลตฟอร์มทักษะเป็นระบบการเรียนรู้ทักษะดิจิทัลของบุคลากรภาครัฐ ประกาศนี้อธิบายว่าเราเก็บ ใช้ "
        "และเปิดเผยข้อมูลส่วนบุคคลของท่านอย่างไร ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
    ),
    "introduction_en": (
        "Thaksa is the digital-skills learning platform of Thailand's public servants. This notice says how we "
        "collect, use and disclose your personal data under the Personal Data Protection Act B.E. 2562 (2019)."
    ),
    "rights_th": (
        "ท่านมีสิทธิขอเข้าถึงและขอรับสำเนาข้อมูล ขอรับข้อมูลในรูปแบบที่อ่านได้ด้วยเครื่อง คัดค้าน ขอให้ลบหรือทำให้เป็น"
        "ข้อมูลนิรนาม ขอให้ระงับการใช้ และขอแก้ไขข้อมูลให้ถูกต้อง ที่หน้า “ข้อมูลของฉัน” เราตอบภายใน 30 วัน "
        "และท่านร้องเรียนต่อสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคลได้"
    ),
    "rights_en": (
        "You may ask for access and a copy, for your data in a machine-readable form, object, ask for erasure or "
        'anonymisation, restriction or rectification, from the "My data" page. We answer within 30 days, and you '
        "may complain to the PDPC office."
    ),
    "controller_contact": (
        "ผู้ควบคุมข้อมูล: สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)\nเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล: dpo@thaksa.test"
    ),
}


def seed_privacy() -> int:
    """The record of processing and notice version 1, once."""
    for order, activity in enumerate(PROCESSING):
        ProcessingActivity.objects.update_or_create(
            name_th=activity["name_th"], defaults={**activity, "sort_order": order}
        )
    if not PrivacyNotice.objects.published().exists():
        notice_publish(notice=PrivacyNotice.objects.create(**NOTICE), by=None)
    return len(PROCESSING)
