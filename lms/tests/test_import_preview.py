"""Between an import's preview and its confirmation the file waits encrypted in the cache, only
a reference in the session, once, for its uploader, for IMPORT_PREVIEW_MAX_AGE at most
(lms.import_preview). The imports' own tests check the same through their pages."""

import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache

from lms.import_preview import (
    CACHE_KEY_PREFIX,
    PreviewGone,
    import_preview_keep,
    import_preview_take,
)

STAFF = "people.staff_import"
EVIDENCE = "competencies.evidence_import"
FILE = "email,first_name_th\nsomying@a1.go.th,สมหญิง\n".encode()


def keep(session, purpose=STAFF, user_id=1):
    return import_preview_keep(session=session, user_id=user_id, purpose=purpose, name="staff.csv", data=FILE)


def take(session, preview_id, purpose=STAFF, user_id=1):
    return import_preview_take(session=session, user_id=user_id, purpose=purpose, preview_id=preview_id)


def test_the_file_comes_back_once_and_is_gone_from_the_cache():
    session = SessionStore()
    preview_id = keep(session)

    kept = take(session, preview_id)

    assert (kept.name, kept.data) == ("staff.csv", FILE)
    assert cache.get(CACHE_KEY_PREFIX + preview_id) is None
    with pytest.raises(PreviewGone):
        take(session, preview_id)


def test_a_new_preview_of_the_same_import_replaces_and_deletes_the_older_one():
    session = SessionStore()
    older = keep(session)
    evidence = keep(session, purpose=EVIDENCE)

    newer = keep(session)

    assert cache.get(CACHE_KEY_PREFIX + older) is None
    with pytest.raises(PreviewGone):
        take(session, older)
    assert take(session, newer).data == FILE
    assert take(session, evidence, purpose=EVIDENCE).data == FILE  # other imports are left alone


def test_the_cache_holds_nothing_readable_and_the_session_nothing_of_the_file():
    session = SessionStore()
    preview_id = keep(session)

    assert "สมหญิง".encode() not in cache.get(CACHE_KEY_PREFIX + preview_id)
    assert b"somying" not in cache.get(CACHE_KEY_PREFIX + preview_id)
    assert "somying" not in str(dict(session.items()))


def test_a_session_that_holds_the_reference_under_another_user_gets_nothing():
    session = SessionStore()
    preview_id = keep(session, user_id=1)

    with pytest.raises(PreviewGone):
        take(session, preview_id, user_id=2)
    with pytest.raises(PreviewGone):
        take(session, preview_id, user_id=1)  # refused once, gone


def test_a_preview_past_its_age_is_gone_even_if_the_cache_still_has_it(settings):
    session = SessionStore()
    preview_id = keep(session)
    settings.IMPORT_PREVIEW_MAX_AGE = -1

    with pytest.raises(PreviewGone):
        take(session, preview_id)
