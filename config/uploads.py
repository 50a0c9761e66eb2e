"""Upload views that refuse an oversize file before reading it (issue 19, finding 5).

Django parses a multipart body the first time ``request.POST`` or ``request.FILES`` is
read, and the CSRF middleware reads it before the view runs, so a limit checked in a
form came after the whole body was read (400 MB to refuse it). ``bounded_upload`` runs
first instead: a ``Content-Length`` over the limit is refused unread, and the body is
parsed with ``BoundedUploadHandler`` in front, which stops reading once a file passes
the limit. Only then does the CSRF check run (``csrf_protect``: Django's documented way
to change upload handlers in a view).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from config.errors import api_error, is_api, request_too_large_message

#: Room for the form's other fields and the multipart headers beside the file.
FORM_OVERHEAD = 64 * 1024

View = Callable[..., HttpResponse]


class BoundedUploadHandler(FileUploadHandler):
    """Passes chunks on to the next handler until a file passes ``max_bytes``, then stops
    the upload without reading the rest of the body."""

    def __init__(self, request: HttpRequest, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.refused = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.refused = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def declared_length(request: HttpRequest) -> int:
    """The body's ``Content-Length``; 0 when absent (Django then reads no body)."""
    text = str(request.META.get("CONTENT_LENGTH") or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def upload_too_large(request: HttpRequest, *, max_bytes: int, back: str) -> HttpResponse:
    """413 with a page that says the limit and leads back to the form; under ``/api/`` the
    API's JSON error (a client reads no HTML, config/errors.py)."""
    if is_api(request):
        detail = request_too_large_message(max_bytes)
        return api_error(detail=detail, code="request_too_large", status=413)
    context = {"size_mb": max(max_bytes // 2**20, 1), "back": reverse(back)}
    return render(request, "upload_too_large.html", context, status=413)


def bounded_upload(max_bytes: Callable[[], int], *, back: str) -> Callable[[View], View]:
    """Refuse a POST whose file is over ``max_bytes()`` before reading it (see the module
    doc); ``back`` names the page the refusal links to."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return protected(request, *args, **kwargs)
            limit = max_bytes()
            if declared_length(request) > limit + FORM_OVERHEAD:
                return upload_too_large(request, max_bytes=limit, back=back)
            handler = BoundedUploadHandler(request, max_bytes=limit)
            request.upload_handlers = [handler, *request.upload_handlers]
            request.POST  # noqa: B018  (parse now, with the bound, before the CSRF check)
            if handler.refused:
                return upload_too_large(request, max_bytes=limit, back=back)
            return protected(request, *args, **kwargs)

        return wrapper

    return decorate
