"""Competency profiles: a learner's own, and a staff member's as their HR manager sees it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from audit.services import audit_view_of
from competencies.forms import ManagerAssessmentForm
from competencies.selectors import competency_overview, manager_assessments
from people.models import User
from people.permissions import can_view_person, manages_people


@login_required
def my_competencies(request):
    return render(
        request,
        "competencies/my_competencies.html",
        {"overview": competency_overview(user=request.user)},
    )


def person_for_manager_or_404(request, user_id: int) -> User:
    """The staff member whose competencies this viewer manages: their HR manager (scoped by
    people.permissions) or a platform administrator. Anyone else, and the person themselves,
    learns nothing: 404, whether or not the person exists."""
    person = User.objects.filter(pk=user_id).first()
    viewer = request.user
    if (
        person is None
        or person.pk == viewer.pk
        or not can_view_person(viewer, person)
        or not manages_people(viewer)
    ):
        raise Http404
    return person


@login_required
def person_competencies(request, user_id: int):
    if user_id == request.user.pk:
        return redirect("my-competencies")
    person = person_for_manager_or_404(request, user_id)
    return person_page_render(request, person=person, form=ManagerAssessmentForm(person=person))


def person_page_render(request, *, person: User, form: ManagerAssessmentForm, status: int = 200):
    """The staff member's page, with the assessment form as given (fresh, or with its errors)."""
    audit_view_of(request, subject=person, what="competencies.profile")
    return render(
        request,
        "competencies/person_competencies.html",
        {
            "overview": competency_overview(user=person),
            "person": person,
            "form": form,
            "own_assessments": manager_assessments(person=person, manager=request.user),
        },
        status=status,
    )
