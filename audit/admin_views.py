"""Wagtail admin screens that show people's records record who looked, through these views.

An app's viewset names them (`index_view_class = AuditedSnippetIndexView`, ...): a listing
records one entry per page shown (its filters and how many rows), or per spreadsheet
exported; an edit page records the person whose record it is (the account itself, or the
record's `user`), unless that is the viewer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from wagtail.snippets.views import snippets as snippet_views
from wagtail.users.views import users as user_views

from audit.services import audit_export_of, audit_view_of


def person_of(record: Model) -> AbstractBaseUser | None:
    """The person a record is about: the account itself, or the record's `user`."""
    if isinstance(record, get_user_model()):
        return record
    person = getattr(record, "user", None)
    return person if isinstance(person, get_user_model()) else None


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


class AuditedListingMixin:
    request: HttpRequest
    model: type[Model]
    is_export: bool

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().render_to_response(context, **response_kwargs)  # type: ignore[misc]
        rows = context["object_list"]
        shown = rows.count() if isinstance(rows, QuerySet) else len(rows)
        if self.is_export:
            audit_export_of(self.request, what=_label(self.model), people=shown,
                            detail={"format": self.request.GET.get("export", "")})  # fmt: skip
        else:
            audit_view_of(self.request, what=_label(self.model), people=shown)
        return response


class AuditedRecordMixin:
    model: type[Model]
    object: Model

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().get(request, *args, **kwargs)  # type: ignore[misc]
        audit_view_of(request, subject=person_of(self.object), what=f"{_label(self.model)}:{self.object.pk}")
        return response


class AuditedSnippetIndexView(AuditedListingMixin, snippet_views.IndexView):
    pass


class AuditedSnippetEditView(AuditedRecordMixin, snippet_views.EditView):
    pass


class AuditedUserIndexView(AuditedListingMixin, user_views.IndexView):
    pass


class AuditedUserEditView(AuditedRecordMixin, user_views.EditView):
    pass
