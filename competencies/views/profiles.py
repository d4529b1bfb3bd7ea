"""Competency profiles: a learner's own, and a staff member's as their HR manager sees it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def my_competencies(request):  # filled in by the competencies issue
    return HttpResponse(status=501)
