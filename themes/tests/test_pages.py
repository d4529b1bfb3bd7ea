import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Site

from themes.models import HomePage, SiteBranding, validate_colour_on_white
from themes.services import home_page_ensure

pytestmark = pytest.mark.django_db


def test_home_page_is_thai_with_landmarks_and_skip_link(client):
    response = client.get("/")

    html = response.text
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "พัฒนาทักษะดิจิทัล" in html
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert "<header" in html
    assert "<nav" in html
    assert "<main" in html
    assert "<footer" in html
    assert "sarabun-thai-400-normal.woff2" in html  # the font comes from our own static files


def test_home_page_in_english_after_switching(client):
    client.post("/language/", {"language": "en", "next": "/"})

    html = client.get("/").text

    assert '<html lang="en">' in html
    assert "Digital skills for better public services" in html
    assert "Sign in to start learning" in html


def test_not_found_page_in_thai_and_english(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.text

    client.post("/language/", {"language": "en", "next": "/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_server_error_page_speaks_both_languages_without_a_database(settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from django.template import loader

    html = loader.get_template("500.html").render({})

    assert "ระบบขัดข้อง" in html
    assert "Sorry, something went wrong" in html


def test_server_error_is_answered_with_the_500_page(monkeypatch):
    import themes.models

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(themes.models.HomePage, "serve", explode)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == 500
    assert "ระบบขัดข้อง" in response.text


def test_home_page_ensure_is_idempotent():
    first = home_page_ensure()
    second = home_page_ensure()

    assert first.pk == second.pk
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page_id == first.pk


def test_an_agency_site_on_another_host_has_its_own_branding(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "learn.nso.go.th"]
    home = home_page_ensure()
    agency_site = Site.objects.create(hostname="learn.nso.go.th", root_page=home, site_name="NSO")
    branding = SiteBranding.for_site(agency_site)
    branding.name_th = "ทักษะ สสช."
    branding.primary_colour = "#0b5d3b"
    branding.save()

    agency = client.get("/", HTTP_HOST="learn.nso.go.th").text
    default = client.get("/").text

    assert "ทักษะ สสช." in agency
    assert "--brand: #0b5d3b" in agency
    assert "ทักษะ สสช." not in default


@pytest.mark.parametrize("colour", ["#ffcc00", "#8fbce6", "blue", "#12345"])
def test_brand_colours_that_fail_contrast_or_format_are_refused(colour):
    with pytest.raises(ValidationError):
        validate_colour_on_white(colour)


def test_default_brand_colours_meet_wcag_aa():
    validate_colour_on_white(SiteBranding._meta.get_field("primary_colour").default)
    validate_colour_on_white(SiteBranding._meta.get_field("accent_colour").default)
