"""A learner's own certificates: /certificates/mine/ and the public-name choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates.models import Certificate
from certificates.selectors import my_certificates


@login_required
def my_certificates_page(request):
    return render(
        request, "certificates/my_certificates.html", {"certificates": my_certificates(user=request.user)}
    )


@login_required
@require_POST
def holder_name_choose(request, public_id):
    certificate = get_object_or_404(Certificate, public_id=public_id, learner=request.user)
    certificate.holder_name_public = request.POST.get("holder_name_public") == "1"
    certificate.save(update_fields=["holder_name_public"])
    messages.success(
        request,
        _("The public page now shows your full name.")
        if certificate.holder_name_public
        else _("The public page now shows your given name and the first letter of your family name."),
    )
    return redirect("certificates:mine")
