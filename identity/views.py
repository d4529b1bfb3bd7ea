from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from identity.middleware import NEXT_SESSION_KEY


@login_required
def continue_after_setup(request: HttpRequest) -> HttpResponse:
    """After the second step is set up: back where the person was going, or to their account."""
    target = request.session.pop(NEXT_SESSION_KEY, "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("account:profile")
    return HttpResponseRedirect(target)
