from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
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


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """In place of Wagtail's own sign-in (which would skip the second step): the site's sign-in
    for people not signed in; the admin for those who may use it; and for everyone else a page
    that says the admin is not for them (the sign-in would only send them back here)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("wagtailadmin_home")
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('account:sign-in')}?{urlencode({'next': target})}")
    if request.user.has_perm("wagtailadmin.access_admin"):
        return HttpResponseRedirect(target)
    return render(request, "identity/admin_not_for_you.html", status=403)
