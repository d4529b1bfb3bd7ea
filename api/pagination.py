"""Cursor pagination: stable pages however many rows arrive meanwhile (an HR system syncing
a large agency pages through by `next` without skipping or repeating anyone)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "pk"
