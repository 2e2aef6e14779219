"""Unknown API URLs and methods: JSON errors in the API's shape (Open311: the spec's list), never a 500."""

from __future__ import annotations

import pytest


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
