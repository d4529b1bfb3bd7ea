from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from competencies.views.profiles import my_competencies
from lms.health import healthz
from people.views.language import language_switch

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("people.urls")),
    path("language/", language_switch, name="language-switch"),
    path("my/competencies/", my_competencies, name="my-competencies"),
    path("my/", include("courses.urls")),
    path("competencies/", include("competencies.urls")),
    path("dashboard/assignments/", include("assignments.urls")),
    path("dashboard/staff/", include("people.staff_urls")),
    path("dashboard/", include("analytics.urls")),
    path("scorm/", include("scorm.urls")),
    path("quiz/", include("assessments.urls")),
    path("certificates/", include("certificates.urls")),
]

if settings.SERVE_MEDIA_LOCALLY:
    # One-machine runs serve uploads themselves (static files are WhiteNoise's job everywhere).
    from django.urls import re_path
    from django.views.static import serve

    # SCORM uploads and package files are partners' code: they are served only on the content
    # origin, through the player's session-bound tokens (scorm.views.player), never from here.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>(?!scorm/).*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's page tree serves everything else (home page, and the catalogue below it).
urlpatterns += [path("", include(wagtail_urls))]
