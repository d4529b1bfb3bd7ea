"""Signed tokens that stand in for the learner's session on the content origin.

The player and the package files may live on another host name (SCORM_CONTENT_ORIGIN),
where the app's session cookie does not exist, and the final commit goes out as a
`sendBeacon`, which cannot carry a CSRF header. So every player, file and commit URL carries
a token signed with the secret key and bound to one launch (`ScoSession`), or to an
author's preview. Commit tokens are short-lived and renewed with each accepted commit;
content tokens live for a working day, because a package may load files late.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_COMMIT_SALT = "scorm.commit"
_CONTENT_SALT = "scorm.content"


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: a learner's launch, or an author's preview of a version."""

    session_id: int | None = None
    preview_version_id: int | None = None
    preview_sco_id: int | None = None

    @property
    def is_preview(self) -> bool:
        return self.preview_version_id is not None


class TokenRejected(Exception):
    """The token is malformed, forged or expired; `expired` tells which."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _payload(grant: Grant) -> dict:
    if grant.is_preview:
        return {"v": grant.preview_version_id, "i": grant.preview_sco_id}
    return {"s": grant.session_id}


def _grant(payload: dict) -> Grant:
    if "s" in payload:
        return Grant(session_id=int(payload["s"]))
    return Grant(preview_version_id=int(payload["v"]), preview_sco_id=int(payload["i"]))


def commit_token(grant: Grant) -> str:
    return signing.dumps(_payload(grant), salt=_COMMIT_SALT, compress=True)


def content_token(grant: Grant) -> str:
    return signing.dumps(_payload(grant), salt=_CONTENT_SALT, compress=True)


def _read(token: str, *, salt: str, max_age: int) -> Grant:
    try:
        return _grant(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired as exc:
        raise TokenRejected(expired=True) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenRejected(expired=False) from exc


def commit_token_read(token: str) -> Grant:
    return _read(token, salt=_COMMIT_SALT, max_age=settings.SCORM_COMMIT_TOKEN_SECONDS)


def content_token_read(token: str) -> Grant:
    return _read(token, salt=_CONTENT_SALT, max_age=settings.SCORM_CONTENT_TOKEN_SECONDS)
