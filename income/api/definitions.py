"""``GET /api/v1/figures/``: every figure's definition, as the help page lists them.

A mobile client shows the same definition behind a label as the web page does
(``income.definitions`` is the one place they are written), in the caller's language.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.serializers import Serializer
from income.definitions import GROUPS


class FigureDefinitionSerializer(Serializer):  # type: ignore[type-arg]
    """The fields are named in ``get_fields``: ``label`` is an attribute of every field."""

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        return {
            "key": serializers.CharField(
                help_text="The figure's name, as the API's fields use it."
            ),
            "label": serializers.CharField(help_text="Its label on the web pages."),
            "definition": serializers.CharField(help_text="What it is and how it is computed."),
            "anchor": serializers.CharField(
                help_text="Its entry on the page /help/figures/#anchor."
            ),
        }


class FigureGroupSerializer(Serializer):  # type: ignore[type-arg]
    title = serializers.CharField()
    figures = FigureDefinitionSerializer(many=True)


class FigureDefinitionsView(APIView):
    """Every figure with its definition, grouped as on "How every figure is computed"."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: FigureGroupSerializer(many=True)}, auth=[])
    def get(self, request: Request) -> Response:
        return Response(FigureGroupSerializer(GROUPS, many=True).data)
