"""Writes for the site's structure."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from themes.models import HomePage

HOME_HEADING_TH = "พัฒนาทักษะดิจิทัล เพื่อบริการประชาชนที่ดีกว่า"
HOME_HEADING_EN = "Digital skills for better public services"
HOME_INTRODUCTION_TH = (
    "<p>เรียนรู้เรื่องการคุ้มครองข้อมูลส่วนบุคคล ธรรมาภิบาลข้อมูลภาครัฐ และความมั่นคงปลอดภัยไซเบอร์ "
    "จากมหาวิทยาลัยและสถาบันชั้นนำ เรียนได้ทุกที่ บันทึกความก้าวหน้าอัตโนมัติ "
    "และรับประกาศนียบัตรที่ตรวจสอบได้</p>"
)
HOME_INTRODUCTION_EN = (
    "<p>Learn personal data protection, government data governance and cybersecurity from "
    "leading universities and institutes. Learn anywhere, with your progress saved as you go, "
    "and earn certificates anyone can verify.</p>"
)


@transaction.atomic
def home_page_ensure() -> HomePage:
    """Make sure the default site's root is a HomePage, replacing Wagtail's placeholder page.

    Idempotent; runs after migrations so that a fresh installation serves a real home page.
    """
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        if placeholder is not None:
            placeholder.delete()
            root.refresh_from_db()
        home = root.add_child(
            instance=HomePage(
                title="ทักษะ",
                slug="home",
                heading_th=HOME_HEADING_TH,
                heading_en=HOME_HEADING_EN,
                introduction_th=HOME_INTRODUCTION_TH,
                introduction_en=HOME_INTRODUCTION_EN,
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Thaksa"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home
