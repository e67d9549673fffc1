"""Offset pagination for the API's list answers: ``?limit=N&offset=M`` (validated, documented in the OpenAPI
document), and ``next_offset`` in the answer (null on the last page)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class PageArgsSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # the routes' other query arguments (status=…) are read by the routes

    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT),
                              metadata={"description": f"rows per page (1–{MAX_LIMIT}, default {DEFAULT_LIMIT})"})
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0),
                               metadata={"description": "rows to skip (the next_offset of the previous page)"})


def page(rows: list[Any], limit: int, offset: int) -> tuple[list[Any], int | None]:
    """Rows fetched as ``offset + limit + 1`` (one more than the page, to know whether a next page
    exists) → the page and the next offset."""
    window = rows[offset:offset + limit + 1]
    return window[:limit], (offset + limit if len(window) > limit else None)
