"""Parsers that never turn money into a float and read a bounded body.

JSON: ``DecimalJSONParser`` for every view, within ``API_JSON_MAX_BYTES``;
``LargeJSONParser`` for a view that takes more (the data import). Multipart:
``BoundedMultiPartParser``, which stops reading once a file passes the view's limit
(issue 19), as ``config.uploads.bounded_upload`` does for the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles, JSONParser, MultiPartParser

from config import json_bounds
from config.errors import request_too_large_message
from config.uploads import FORM_OVERHEAD, BoundedUploadHandler, declared_length

if TYPE_CHECKING:
    from rest_framework.request import Request


def _too_large(limit: int) -> ParseError:
    return ParseError(
        _("The request body is larger than %(size)s KB.") % {"size": max(limit // 1024, 1)}
    )


class DecimalJSONParser(JSONParser):
    """Parse JSON numbers as ``Decimal`` instead of ``float``, within bounds.

    ``0.1`` in a request body stays exactly 0.1. Bare ``NaN``/``Infinity`` literals
    (which Python's json accepts) become ``Decimal('NaN')``/``Decimal('Infinity')``
    so the field that receives one answers with its own validation error rather than a
    parse error for the whole body.

    The body is read up to ``API_JSON_MAX_BYTES`` (a view may allow more with a
    ``max_json_bytes`` attribute: the data import takes a whole export), refused by its
    ``Content-Length`` before reading when that already says too much, and its nesting
    is bounded (``config.json_bounds``): a 400 with ``detail``, never a 500 (issue 19).
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        view = parser_context.get("view")
        limit = int(getattr(view, "max_json_bytes", None) or settings.API_JSON_MAX_BYTES)
        request = parser_context.get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise _too_large(limit)
        return _loads(data, encoding=encoding)


def _loads(data: bytes, *, encoding: str) -> Any:
    try:
        return json_bounds.loads(data.decode(encoding))
    except json_bounds.JSONTooLarge as exc:
        raise ParseError(
            _("The JSON is nested more than %(depth)s levels deep.")
            % {"depth": json_bounds.MAX_DEPTH}
        ) from exc
    except ValueError as exc:  # includes UnicodeDecodeError and JSONDecodeError
        raise ParseError(f"JSON parse error - {exc}") from exc


def _request_too_large(limit: int) -> Exception:
    """The API's 413 (``request_too_large``) for a body over ``limit``.

    Imported here, not at the top: ``config.api.exceptions`` imports DRF's views, whose
    class body reads ``DEFAULT_PARSER_CLASSES``, which names this module.
    """
    from config.api.exceptions import RequestTooLarge

    return RequestTooLarge(request_too_large_message(limit))


def _view_limit(parser_context: Mapping[str, Any], name: str, default: int) -> int:
    """The view's own bound (an attribute or property ``name``), else ``default``."""
    return int(getattr(parser_context.get("view"), name, None) or default)


class LargeJSONParser(BaseParser):
    """JSON up to the view's ``max_json_bytes``, beyond Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``: the data import takes a whole export (issue 19).

    DRF hands a ``JSONParser`` the body through ``request.body``, which Django refuses
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2 MB) whatever the view allows, so a larger
    bound there was never reached. This parser is not one: it gets the request's stream
    and reads it up to the bound, refusing a ``Content-Length`` over it unread. Over the
    bound is a 413 (``request_too_large``); otherwise as ``DecimalJSONParser``.
    """

    media_type = "application/json"

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = _view_limit(parser_context, "max_json_bytes", settings.API_JSON_MAX_BYTES)
        request = parser_context.get("request")
        if request is not None and declared_length(request) > limit:
            raise _request_too_large(limit)
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise _request_too_large(limit)
        return _loads(data, encoding=encoding)


class BoundedMultiPartParser(MultiPartParser):
    """Multipart that stops reading once a file passes the view's ``max_upload_bytes``
    (else ``API_JSON_MAX_BYTES``): a 413, and the rest of the body is never read.

    DRF's own parser reads the whole body (files to memory or a temporary file) before
    any view can look at a file's size: 400 MB were read to refuse a 32 MB limit (issue
    19). A ``Content-Length`` over the limit and room for the form's other fields is
    refused unread; otherwise ``BoundedUploadHandler`` (the browser's, config/uploads.py)
    goes in front of Django's upload handlers, which still spool a large file to disk.
    """

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> DataAndFiles:  # type: ignore[type-arg]
        parser_context = parser_context or {}
        request: Request = parser_context["request"]
        limit = _view_limit(parser_context, "max_upload_bytes", settings.API_JSON_MAX_BYTES)
        if declared_length(request) > limit + FORM_OVERHEAD:
            raise _request_too_large(limit)
        handlers = list(request.upload_handlers)
        bound = next((h for h in handlers if isinstance(h, BoundedUploadHandler)), None)
        if bound is None:
            bound = BoundedUploadHandler(request._request, max_bytes=limit)
            handlers.insert(0, bound)
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data, files = DjangoMultiPartParser(meta, cast(Any, stream), handlers, encoding).parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        if bound.refused:
            raise _request_too_large(limit)
        return DataAndFiles(data, files)


class BoundedUploadMixin:
    """For an API view that takes a file: its limit applies from the first byte read.

    ``BoundedMultiPartParser`` bounds the body when the view reads ``request.data``. A
    browser's session is checked against CSRF first, and that check reads the form
    (Django parses the whole body): here the bound is put in front of Django's upload
    handlers before authentication runs, and a file it stopped is a 413 right after.
    """

    @property
    def max_upload_bytes(self) -> int:
        return int(settings.API_JSON_MAX_BYTES)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        bound = None
        read = getattr(request._request, "_read_started", False)
        if request.content_type.startswith("multipart/") and not read:
            limit = int(self.max_upload_bytes)
            if declared_length(request._request) > limit + FORM_OVERHEAD:
                raise _request_too_large(limit)
            bound = BoundedUploadHandler(request._request, max_bytes=limit)
            request._request.upload_handlers = [bound, *request._request.upload_handlers]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if bound is not None and bound.refused:
            raise _request_too_large(bound.max_bytes)
