from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from competencies.views.profiles import my_competencies
from identity.views import admin_sign_in
from lms.health import healthz
from people.views.language import language_switch

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # One sign-in for the site and the admin (people.views.account.SignInView), which asks for
    # the second step; Wagtail's own would sign people in without it.
    path("admin/login/", admin_sign_in),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("people.urls")),
    path("account/", include("identity.urls")),
    path("language/", language_switch, name="language-switch"),
    path("privacy/", include("privacy.urls")),
    path("my/competencies/", my_competencies, name="my-competencies"),
    path("my/privacy/requests/", include("subject_rights.urls")),
    path("my/", include("courses.urls")),
    path("competencies/", include("competencies.urls")),
    path("dashboard/assignments/", include("assignments.urls")),
    path("dashboard/staff/", include("people.staff_urls")),
    path("dashboard/", include("analytics.urls")),
    path("scorm/", include("scorm.urls")),
    path("quiz/", include("assessments.urls")),
    path("certificates/", include("certificates.urls")),
    path("api/v1/", include("api.urls")),
    path("o/", include("api.oauth_urls")),
]

if settings.SERVE_MEDIA_LOCALLY:
    # One-machine runs serve uploads themselves (static files are WhiteNoise's job everywhere),
    # but only what is public by nature: Wagtail's image renditions (images/), the pictures pages
    # show (catalogue and course covers, the branding logo, pictures in lesson text) and the
    # logos and signatures every certificate PDF prints. Everything else stored is reachable
    # only through the view that checks who asks: documents through /documents/ (Wagtail's serve
    # view, collection privacy), certificate PDFs through certificates' views (name masking),
    # dashboard exports and data-subject exports through their owners' download views, SCORM
    # packages on the content origin with the player's tokens; original images are read only by
    # the server (the certificate renderer). docs/security.md lists them.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>images/[^/]+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's page tree serves everything else (home page, and the catalogue below it).
urlpatterns += [path("", include(wagtail_urls))]
