"""Open311 GeoReport v2 wire formats: XML (the spec's required one) and JSON.

Lists in JSON are arrays; in XML they are a root element holding one child
per item (``<services><service>…``). Nested lists use the spec's singular
names (``endpoints/endpoint``, ``formats/format``, ``attributes/attribute``,
``values/value``). Errors are the spec's error list in either format.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response, request

FORMATS = ("xml", "json")
MIMETYPES = {"xml": "text/xml", "json": "application/json"}
SINGULAR = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute",
            "values": "value", "service_requests": "request", "services": "service",
            "errors": "error"}


class Open311Error(Exception):
    """An error answered as the spec's error list with an HTTP status."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any, tag: str) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child, key)
    elif isinstance(value, list | tuple):
        item_tag = SINGULAR.get(tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_tag), child, item_tag)
    else:
        text = _text(value)
        if text is not None:
            element.text = text


def to_xml(root: str, value: Any) -> bytes:
    """``value`` (a dict, or a list of dicts) under ``<root>``, UTF-8 with a declaration."""
    element = ET.Element(root)
    _fill(element, value, root)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value: Any, status: int = 200) -> Response:
    """The answer in the requested format; ``root`` names the XML root element."""
    if fmt == "json":
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    else:
        body = to_xml(root, value)
    response = Response(body, status=status, mimetype=MIMETYPES[fmt])
    response.charset = "utf-8"
    if request.method == "GET":
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(fmt: str, status: int, description: str) -> Response:
    """The spec's error list: ``[{"code", "description"}]`` / ``<errors><error>…``."""
    return respond(fmt if fmt in FORMATS else "xml", "errors",
                   [{"code": status, "description": description}], status)


def request_format() -> str:
    """The format of the current request (from the URL's extension); XML by default."""
    fmt = (request.view_args or {}).get("fmt")
    if fmt in FORMATS:
        return fmt
    path = request.path.lower()
    return "json" if path.endswith(".json") else "xml"


def check_format(fmt: str) -> str:
    """The format, or a 400 naming the supported ones."""
    if fmt not in FORMATS:
        raise Open311Error(400, f"unsupported format '.{fmt}': use .xml or .json")
    return fmt
