"""HTTP errors of the machine APIs (unknown URL or method, body too large, too many requests):
JSON in the API's shape (Open311: the spec's list), never a 500 or an HTML page."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/incidents/1/nothing", "/api/v2/kpis",
                                  "/api/"])
def test_unknown_api_urls_are_json_404s(client, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 404 and res.mimetype == "application/json"
    body = res.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == 404 and body["error"]["message"]


@pytest.mark.parametrize("method, path", [("delete", "/api/v1/kpis"), ("post", "/api/v1/incidents"),
                                          ("put", "/api/v1/incidents/1")])
def test_wrong_api_methods_are_json_405s(client, method: str, path: str) -> None:
    res = getattr(client, method)(path)
    assert res.status_code == 405 and res.mimetype == "application/json"
    assert res.get_json()["error"]["status"] == 405
    assert "GET" in res.headers["Allow"]


def test_open311_paths_outside_v2_keep_the_spec_error_format(client) -> None:
    res = client.get("/open311/v1/services.json")
    assert res.status_code == 404 and res.get_json()[0]["code"] == 404
    res = client.get("/open311/")
    assert res.status_code == 404 and res.mimetype == "text/xml"
    assert "<errors><error><code>404</code>" in res.get_data(as_text=True)


@pytest.mark.parametrize(("exc", "status", "header"), [
    (RequestEntityTooLarge(), 413, None),
    (TooManyRequests(retry_after=42), 429, ("Retry-After", "42")),
], ids=["413", "429"])
def test_api_size_and_rate_errors_are_json(client, raising, exc, status: int, header) -> None:
    res = client.get(raising(exc, "/api/v1/thu-loi"), headers={"Accept": "text/html"})
    assert res.status_code == status and res.mimetype == "application/json"
    assert res.get_json() == {"error": {"status": status, "message": exc.description}}
    if header:
        assert res.headers[header[0]] == header[1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_body_past_the_app_limit_is_a_spec_413(client, fmt: str) -> None:
    body = b"description=" + b"x" * (17 * 1024 * 1024)
    res = client.post(f"/open311/v2/requests.{fmt}", data=body,
                      content_type="application/x-www-form-urlencoded")
    assert res.status_code == 413
    if fmt == "json":
        assert res.get_json()[0]["code"] == 413
    else:
        assert "<errors><error><code>413</code>" in res.get_data(as_text=True)


def test_open311_rate_limit_keeps_the_spec_format_and_retry_after(app, client) -> None:
    app.config["IOC_OPEN311_RATE_LIMIT"] = "1 per minute"
    client.post("/open311/v2/requests.json", data={"description": "Ổ gà"})  # counted, refused
    res = client.post("/open311/v2/requests.json", data={"description": "Ổ gà"})
    assert res.status_code == 429 and res.get_json()[0]["code"] == 429
    assert int(res.headers["Retry-After"]) > 0
