"""The dashboard pages (to be written)."""

from django.http import HttpResponse


def agency_dashboard(request):
    return HttpResponse(status=501)


def partner_dashboard(request):
    return HttpResponse(status=501)
