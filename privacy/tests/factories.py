from factory.declarations import Sequence
from factory.django import DjangoModelFactory

from privacy.models import LawfulBasis, PrivacyNotice, ProcessingActivity
from privacy.services import notice_publish


class ProcessingActivityFactory(DjangoModelFactory[ProcessingActivity]):
    class Meta:
        model = ProcessingActivity

    name_th = Sequence(lambda n: f"กิจกรรมการประมวลผล {n}")
    name_en = Sequence(lambda n: f"Processing activity {n}")
    purpose_th = "จัดการเรียนรู้ตามที่หน่วยงานมอบหมาย"
    purpose_en = "Running the training agencies assign"
    lawful_basis = LawfulBasis.PUBLIC_TASK
    data_subjects = "ข้าราชการและเจ้าหน้าที่ของรัฐ"
    data_categories = "ชื่อ อีเมล หน่วยงาน ผลการเรียน"
    recipients_th = "ฝ่ายบุคคลของหน่วยงานต้นสังกัด และมหาวิทยาลัยผู้สอนเฉพาะผู้เรียนในรายวิชาของตน"
    recipients_en = "The person's agency HR, and partner universities for learners of their own courses"
    retention_th = "5 ปีหลังสิ้นสุดการเป็นผู้ใช้"
    retention_en = "5 years after the account ends"


class PrivacyNoticeFactory(DjangoModelFactory[PrivacyNotice]):
    class Meta:
        model = PrivacyNotice

    introduction_th = "ประกาศความเป็นส่วนตัวของแพลตฟอร์มทักษะ"
    introduction_en = "Thaksa's privacy notice"
    rights_th = "ท่านมีสิทธิขอเข้าถึง ขอสำเนา คัดค้าน ลบ ระงับ และแก้ไขข้อมูลของท่าน"
    rights_en = "You may ask for access, a copy, objection, erasure, restriction and rectification."
    controller_contact = "dpo@thaksa.go.th"


def notice_draft(**fields) -> PrivacyNotice:
    return PrivacyNoticeFactory.create(**fields)


def published_notice(**fields) -> PrivacyNotice:
    """A notice in force, with one processing activity at least."""
    if not ProcessingActivity.objects.exists():
        ProcessingActivityFactory()
    return notice_publish(notice=notice_draft(**fields), by=None)
