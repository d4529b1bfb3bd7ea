"""The API's documentation page: Swagger UI (vendored, api/static/api/vendor/swagger-ui/)
reading the schema generated from the code. No outside CDN, no inline script."""

from django.views.generic import TemplateView


class ApiDocs(TemplateView):
    template_name = "api/docs.html"
