"""Running pyHanko's synchronous API from code that may already run an event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def off_a_running_loop(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """pyHanko's synchronous API starts its own event loop (``asyncio.run``), which a thread
    already running one (ASGI code, Playwright-driven tests) cannot do: such callers get the
    work done in a thread of its own and wait for it, blocking their loop meanwhile (a B-T
    signature includes the timestamp server's round trip)."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper
