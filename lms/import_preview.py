"""Upload → preview → confirm, the one way every import keeps a file between the two steps.

An imported file holds people's data (up to 20,000 people's names and addresses), so between
the preview and the confirmation it is kept:

- encrypted (Fernet: AES-128-CBC with an HMAC) with a key made for this one preview, which
  lives only in the uploader's session; the ciphertext lives in the cache (shared by every
  web process in production, `CACHE_URL`). Neither alone reveals anything, and the session
  holds no data from the file, only the preview's id and key;
- for `IMPORT_PREVIEW_MAX_AGE` seconds at most: the cache forgets it then, and the token's
  own timestamp is checked too;
- once: taking it for a confirmation deletes it, and so does a new preview of the same import
  (one preview per import and session; an older tab's confirmation is refused);
- for its uploader only: the session carries the key, and the sealed file names its user.

It is never written to disk, not even while it is uploaded: import views are wrapped in
`uploads_in_memory`.

The import checks the file again when it is confirmed (someone may have changed the data in
between) and applies it in one transaction, so a confirmation either does all of the preview
or nothing.
"""

import json
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from lms.spreadsheets.reading import MAX_FILE_BYTES

SESSION_KEY_PREFIX = "import_preview."
CACHE_KEY_PREFIX = "import-preview:"


@dataclass(frozen=True)
class KeptUpload:
    name: str
    data: bytes


class PreviewGone(Exception):
    """The preview has expired, was confirmed or replaced already, or is not this person's."""


class _UploadInMemory(MemoryFileUploadHandler):
    """Keeps the uploaded file in memory whatever its size (Django would write one over 2.5 MB
    to a temporary file on disk), storing no more than the cap: the form then refuses the file
    with its real size, which Django counts from every chunk."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.file.tell() <= MAX_FILE_BYTES:
            self.file.write(raw_data)


def uploads_in_memory(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An import view whose uploads stay in memory. The upload handlers must be set before the
    CSRF check reads the body, so the check runs inside, after they are set."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [_UploadInMemory(request)]
        return protected(request, *args, **kwargs)

    return wrapper


def import_preview_keep(*, session: SessionBase, user_id: int, purpose: str, name: str, data: bytes) -> str:
    """Keep a previewed file for its confirmation; returns the id the confirm form carries.

    Replaces (and deletes) this session's earlier preview of the same import."""
    import_preview_discard(session=session, purpose=purpose)
    preview_id = secrets.token_hex(24)
    key = Fernet.generate_key()
    header = json.dumps({"name": name, "user": user_id}).encode()
    sealed = Fernet(key).encrypt(zlib.compress(header + b"\n" + data))
    cache.set(CACHE_KEY_PREFIX + preview_id, sealed, timeout=settings.IMPORT_PREVIEW_MAX_AGE)
    session[SESSION_KEY_PREFIX + purpose] = {"id": preview_id, "key": key.decode("ascii")}
    return preview_id


def import_preview_take(*, session: SessionBase, user_id: int, purpose: str, preview_id: str) -> KeptUpload:
    """The file kept by this preview, removed from the cache and the session (so it can be
    confirmed once). PreviewGone when it expired, was replaced, or is someone else's."""
    kept = session.get(SESSION_KEY_PREFIX + purpose)
    if not kept or not preview_id or not secrets.compare_digest(kept["id"], preview_id):
        raise PreviewGone
    sealed = cache.get(CACHE_KEY_PREFIX + preview_id)
    import_preview_discard(session=session, purpose=purpose)
    if sealed is None:
        raise PreviewGone
    try:
        packed = zlib.decompress(
            Fernet(kept["key"].encode("ascii")).decrypt(sealed, ttl=settings.IMPORT_PREVIEW_MAX_AGE)
        )
    except (InvalidToken, zlib.error):
        raise PreviewGone from None
    header, _newline, data = packed.partition(b"\n")
    meta = json.loads(header)
    if meta["user"] != user_id:
        raise PreviewGone
    return KeptUpload(name=meta["name"], data=data)


def import_preview_discard(*, session: SessionBase, purpose: str) -> None:
    """Forget this session's preview of an import, if any (a new upload, a refused file)."""
    kept = session.pop(SESSION_KEY_PREFIX + purpose, None)
    if kept:
        cache.delete(CACHE_KEY_PREFIX + kept["id"])
