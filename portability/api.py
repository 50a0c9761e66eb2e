"""The API side of "Your data": the export document, its import, the account's deletion."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portability import services
from portability.views import zip_response


class ImportSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    counts = serializers.DictField(child=serializers.IntegerField())


class DeleteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


def _user(request: Request) -> User:
    return cast(User, request.user)


class ExportView(APIView):
    """All of the caller's own data as one document (what ``import/`` reads back)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(services.account_document(user=_user(request)))


class ExportZipView(APIView):
    """The same document and one CSV per table, in a zip."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request) -> Response:
        return zip_response(services.account_export(user=_user(request)))  # type: ignore[return-value]


class ImportView(APIView):
    """Write an export into this account, which must have no sources or scenarios yet."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            201: ImportSummarySerializer,
            400: OpenApiResponse(description="Field errors; nothing was imported"),
        },
    )
    def post(self, request: Request) -> Response:
        summary = services.account_import(user=_user(request), document=request.data)
        return Response({"counts": summary.counts}, status=status.HTTP_201_CREATED)


class DeleteAccountView(APIView):
    """Delete the account with everything in it; the password confirms it."""

    @extend_schema(request=DeleteSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = DeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _user(request)
        if not user.check_password(serializer.validated_data["password"]):
            raise ValidationError({"password": [_("The password is not right.")]})
        services.account_delete(user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
