"""Everything the platform holds about a person, as one ZIP file (PDPA s.30 and s.31).

`person_data_collect` walks every policy of `subject_rights.policies` (so everything the
completeness test demands) and gathers the person's rows: those about them (`subject`) and
those where they acted (`actors`), marked by the field that links them. `person_export_zip`
writes them as:

- `data.json`: everything, machine-readable (PDPA s.31: a commonly used, machine-readable form);
- `csv/<section>.csv`: one readable table per section, through `lms.spreadsheets`
  (formula-guarded, UTF-8 with a BOM so Excel shows Thai);
- `certificates/<number>.pdf`: the signed PDF of each of their certificates;
- `README.txt`: what the file is, in Thai and English.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from lms.spreadsheets import csv_bytes
from people.models import User
from subject_rights.policies import POLICIES, Policy

SUBJECT = "subject"

Row = dict[str, Any]
Exporter = Callable[[Policy, User], list[Row]]


def policy_model(policy: Policy) -> type[models.Model] | None:
    """The policy's model, or None when its app is not installed (django-axes optional)."""
    try:
        return apps.get_model(policy.model)
    except LookupError:
        return None


def _values(queryset: models.QuerySet[Any], fields: Iterable[str], link: str) -> list[Row]:
    return [{"linked_as": link, **row} for row in queryset.values(*fields)]


def _policy_rows(policy: Policy, person: User) -> list[Row]:
    model = policy_model(policy)
    if model is None:
        return []
    manager = model._default_manager
    rows: list[Row] = []
    if policy.subject:
        rows += _values(manager.filter(**{policy.subject: person.pk}).distinct(), policy.export, SUBJECT)
    for actor in policy.actors:
        rows += _values(manager.filter(**{actor: person.pk}), policy.export, actor)
    return rows


def _sessions(policy: Policy, person: User) -> list[Row]:
    return [{"linked_as": SUBJECT, "expire_date": session.expire_date} for session in person_sessions(person)]


def _sign_ins(policy: Policy, person: User) -> list[Row]:
    model = policy_model(policy)
    if model is None:
        return []
    return _values(model._default_manager.filter(username__iexact=person.email), policy.export, "username")


def _audit_log(policy: Policy, person: User) -> list[Row]:
    """Who viewed or exported the person's records (with the viewer's name: PDPA s.30 lets
    them know who received their data), and what they did themselves."""
    model = policy_model(policy)
    if model is None:
        return []
    manager = model._default_manager
    viewers = {
        user.pk: user.full_name()
        for user in User.objects.filter(pk__in=manager.filter(subject_id=person.pk).values("actor_id"))
    }
    rows: list[Row] = []
    for row in manager.filter(subject_id=person.pk).values(*policy.export):
        rows.append({"linked_as": SUBJECT, **row, "actor_name": viewers.get(row["actor_id"], "")})
    rows += _values(manager.filter(actor_id=person.pk), policy.export, "actor")
    return rows


CUSTOM_EXPORTERS: dict[str, Exporter] = {
    "sessions.Session": _sessions,
    "axes.AccessAttempt": _sign_ins,
    "axes.AccessLog": _sign_ins,
    "axes.AccessFailureLog": _sign_ins,
    "audit.AuditEvent": _audit_log,
}


def person_sessions(person: User) -> list[Session]:
    """The person's signed-in sessions (a session names its account only inside its data)."""
    return [
        session
        for session in Session.objects.filter(
            expire_date__gt=timezone.now() - dt.timedelta(days=1)
        ).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk)
    ]


def person_data_collect(*, person: User, progress: Callable[[float], None] | None = None) -> dict[str, Any]:
    """Every section of the person's data, by section name: the model, what erasure would do
    with it, and the rows."""
    sections: dict[str, Any] = {}
    for number, policy in enumerate(POLICIES, start=1):
        exporter = CUSTOM_EXPORTERS.get(policy.model, _policy_rows)
        if policy_model(policy) is not None and policy.export:
            rows = exporter(policy, person)
            sections[policy.name] = {"model": policy.model, "on_erasure": policy.reason, "rows": rows}
        if progress:
            progress(number / len(POLICIES))
    return sections


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


README = """ข้อมูลส่วนบุคคลของท่านที่แพลตฟอร์มทักษะเก็บไว้ (ตามมาตรา 30 และ 31 แห่ง พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562)
- data.json: ข้อมูลทั้งหมดในรูปแบบที่เครื่องอ่านได้
- csv/: ตารางที่อ่านได้ด้วยโปรแกรมตารางคำนวณ หนึ่งไฟล์ต่อหนึ่งหมวด
- certificates/: ไฟล์ PDF ใบรับรองที่ลงนามแล้วของท่าน
คอลัมน์ linked_as บอกว่าข้อมูลแถวนั้นเป็นของท่าน (subject) หรือเป็นสิ่งที่ท่านดำเนินการกับข้อมูลอื่น (ชื่อช่องที่เชื่อมกับท่าน)
on_erasure บอกว่าหากท่านขอให้ลบข้อมูล แพลตฟอร์มจะทำอย่างไรกับข้อมูลหมวดนั้น

Everything the Thaksa platform holds about you (PDPA B.E. 2562, sections 30 and 31).
- data.json: all of it, machine-readable
- csv/: one readable table per section
- certificates/: the signed PDFs of your certificates
The linked_as column says whether a row is about you (subject) or something you did to other
records (the field that links you); on_erasure says what erasure does with each section.
"""


def person_export_zip(*, person: User, progress: Callable[[float], None] | None = None) -> bytes:
    """The person's data export (see the module docstring)."""
    generated_at = timezone.now()
    sections = person_data_collect(person=person, progress=progress)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr(
            "data.json",
            json.dumps(
                {"generated_at": generated_at, "person_id": person.pk, "sections": sections},
                ensure_ascii=False,
                indent=2,
                cls=DjangoJSONEncoder,
            ),
        )
        for name, section in sections.items():
            rows = section["rows"]
            header = list(rows[0]) if rows else ["linked_as"]
            archive.writestr(
                f"csv/{name}.csv",
                csv_bytes([header, *([_cell(row.get(column)) for column in header] for row in rows)]),
            )
        for certificate in person.certificates.exclude(pdf=""):
            with certificate.pdf.open("rb") as pdf:
                archive.writestr(f"certificates/{certificate.number}.pdf", pdf.read())
    return buffer.getvalue()
