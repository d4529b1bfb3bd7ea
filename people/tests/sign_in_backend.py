"""axes's sign-in check for the test suite (lms/settings/test.py)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class TestClientSignInBackend(AxesStandaloneBackend):
    """Django's test client's `login()` calls `authenticate()` without a request, which axes
    refuses (it counts failures per client address). Such calls are left to the model backend,
    like `force_login`; every sign-in through a page carries its request and is checked
    exactly as in production (people/tests/test_sign_in_lockout.py)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
