"""Signed tokens that stand in for the learner's session on the content origin.

The player and the package files live on a host name of their own (SCORM_CONTENT_ORIGIN),
where the app's session cookie never arrives (scorm.middleware strips it), and the final
commit goes out as a `sendBeacon`, which cannot carry a CSRF header. So every player, file
and commit URL carries a token signed with the secret key. Each names one launch — a
`ScoSession` by its primary key *and* its random `key` — or one author's preview (a random
nonce), and each kind has its own salt, so one kind never works as another:

- **launch grant** (`/scorm/player/<grant>/`): made by the app-origin launch or preview for
  the signed-in person; lives SCORM_LAUNCH_GRANT_SECONDS (2 minutes) and opens the player
  once. A learner's grant is spent by stamping `ScoSession.opened_at`; a preview's by adding
  its nonce to the cache (Redis in production, so every web process sees it; with a
  per-process memory cache a grant could open once per process, within its two minutes).
  A copied or reloaded player address is worth nothing.
- **content token** (package files): as long as its session is open — until it terminates,
  plus SCORM_CONTENT_GRACE_SECONDS for the files a SCO still loads while it unloads — and
  never longer than SCORM_CONTENT_TOKEN_SECONDS.
- **commit token**: SCORM_COMMIT_TOKEN_SECONDS (4 hours: a learner may stay on one page
  that long), renewed with each accepted commit; the commit service refuses anything but a
  repeat once the session has terminated.
- **navigation token** (the player's move to another part, `?nav=<request>`, sequenced by
  the server): as long as a content token, with a nonce of its own, spent on first use.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

_GRANT_SALT = "scorm.launch-grant"
_CONTENT_SALT = "scorm.content"
_COMMIT_SALT = "scorm.commit"
_NAVIGATION_SALT = "scorm.navigation"


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: a learner's launch (a session), or an author's preview."""

    session_id: int | None = None
    session_key: str | None = None
    preview_version_id: int | None = None
    preview_sco_id: int | None = None
    preview_nonce: str | None = None

    @property
    def is_preview(self) -> bool:
        return self.preview_version_id is not None

    @classmethod
    def for_session(cls, session) -> "Grant":
        return cls(session_id=session.pk, session_key=str(session.key))

    @classmethod
    def for_preview(cls, *, version_id: int, sco_id: int) -> "Grant":
        """A new preview, with a nonce of its own that its grant and navigation spend."""
        return cls(preview_version_id=version_id, preview_sco_id=sco_id, preview_nonce=uuid.uuid4().hex)


class TokenRejected(Exception):
    """The token is malformed, forged, expired or already used; `expired` tells the learner
    to open the lesson again rather than that the link is broken."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _payload(grant: Grant) -> dict:
    if grant.is_preview:
        return {"v": grant.preview_version_id, "i": grant.preview_sco_id, "n": grant.preview_nonce}
    return {"s": grant.session_id, "k": grant.session_key}


def _grant(payload: dict) -> Grant:
    if "s" in payload:
        return Grant(session_id=int(payload["s"]), session_key=str(uuid.UUID(payload["k"])))
    return Grant(
        preview_version_id=int(payload["v"]),
        preview_sco_id=int(payload["i"]),
        preview_nonce=str(payload["n"]),
    )


def _sign(grant: Grant, *, salt: str) -> str:
    return signing.dumps(_payload(grant), salt=salt, compress=True)


def _read(token: str, *, salt: str, max_age: int) -> Grant:
    try:
        return _grant(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired as exc:
        raise TokenRejected(expired=True) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TokenRejected(expired=False) from exc


def launch_grant(grant: Grant) -> str:
    return _sign(grant, salt=_GRANT_SALT)


def content_token(grant: Grant) -> str:
    return _sign(grant, salt=_CONTENT_SALT)


def commit_token(grant: Grant) -> str:
    return _sign(grant, salt=_COMMIT_SALT)


def navigation_token(grant: Grant) -> str:
    """A navigation token has a nonce of its own: each page the player shows for a launch (the
    part being played, or the contents to choose from once it ended) can move on once."""
    return signing.dumps({**_payload(grant), "x": uuid.uuid4().hex}, salt=_NAVIGATION_SALT, compress=True)


def _spend_once(name: str, *, seconds: int) -> bool:
    """True the first time `name` is spent; the cache forgets it after the token expired."""
    return cache.add(f"scorm:spent:{name}", True, timeout=seconds + 60)


def launch_grant_redeem(token: str) -> Grant:
    """Exchange a launch grant for its launch, once: a second use is refused as expired."""
    from scorm.models import ScoSession

    max_age = settings.SCORM_LAUNCH_GRANT_SECONDS
    grant = _read(token, salt=_GRANT_SALT, max_age=max_age)
    if grant.is_preview:
        spent = _spend_once(f"grant:{grant.preview_nonce}", seconds=max_age)
    else:
        spent = bool(
            ScoSession.objects.filter(pk=grant.session_id, key=grant.session_key, opened_at=None).update(
                opened_at=timezone.now()
            )
        )
    if not spent:
        raise TokenRejected(expired=True)
    return grant


def content_token_read(token: str) -> Grant:
    """The grant of a content token; the caller checks that its session is still open
    (`session_open_for_content`)."""
    return _read(token, salt=_CONTENT_SALT, max_age=settings.SCORM_CONTENT_TOKEN_SECONDS)


def session_open_for_content(session) -> bool:
    """Files are served while the session runs, and a short grace after it terminated."""
    if session.opened_at is None:
        return False
    if session.terminated_at is None:
        return True
    grace = timezone.now() - session.terminated_at
    return grace.total_seconds() <= settings.SCORM_CONTENT_GRACE_SECONDS


def commit_token_read(token: str) -> Grant:
    return _read(token, salt=_COMMIT_SALT, max_age=settings.SCORM_COMMIT_TOKEN_SECONDS)


def navigation_token_redeem(token: str) -> Grant:
    """The launch the player is leaving for another SCO, once per navigation token."""
    max_age = settings.SCORM_CONTENT_TOKEN_SECONDS
    grant = _read(token, salt=_NAVIGATION_SALT, max_age=max_age)
    try:
        nonce = str(signing.loads(token, salt=_NAVIGATION_SALT, max_age=max_age)["x"])
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise TokenRejected(expired=False) from exc
    if not _spend_once(f"navigation:{nonce}", seconds=max_age):
        raise TokenRejected(expired=True)
    return grant
