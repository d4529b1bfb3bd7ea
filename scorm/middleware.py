"""Keep the content origin to its job.

When SCORM_CONTENT_ORIGIN names a host of its own, that host serves the SCORM player, the
package files, commits and static files, and nothing else: the app (with its session
cookie) never answers there, and the player never answers on the app's host, so package
scripts never run beside the app's pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseNotFound

CONTENT_PATHS = ("/scorm/player/", "/scorm/content/", "/scorm/commit/")


class ContentOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        origin = urlsplit(settings.SCORM_CONTENT_ORIGIN) if settings.SCORM_CONTENT_ORIGIN else None
        self.content_host = origin.netloc.lower() if origin else None

    def __call__(self, request):
        if self.content_host:
            on_content_host = request.get_host().lower() == self.content_host
            content_path = request.path.startswith(CONTENT_PATHS)
            static_path = request.path.startswith(settings.STATIC_URL)
            if on_content_host and not (content_path or static_path):
                return HttpResponseNotFound()
            if not on_content_host and content_path:
                return HttpResponseNotFound()
        return self.get_response(request)
