"""Every response carries the Content-Security-Policy and the other headers a careful
deployment sends, and no template has what that policy would block (an inline script, an
inline style, an on* handler), so the policy can stay strict."""

from __future__ import annotations

import re

import pytest

from tests.test_templates import templates

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
}


def _assert_headers(response) -> None:
    for name, expected in HEADERS.items():
        assert expected in response.headers.get(name, ""), (name, response.headers.get(name))
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    permissions = response.headers["Permissions-Policy"]
    assert "microphone=()" in permissions and "geolocation=()" in permissions
    # Passkeys (WebAuthn) are allowed for the site itself.
    assert "publickey-credentials-get=(self)" in permissions
    assert "publickey-credentials-create=(self)" in permissions


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/settings/",
        "/no-such-page/",
        "/static/css/mulin.css",
        "/api/v1/openapi.json",
        "/workspace/",  # a redirect to log in
    ],
)
def test_every_response_carries_the_headers(client, db, url):
    _assert_headers(client.get(url))


def test_a_staff_page_carries_the_headers(owner_client):
    response = owner_client.get("/workspace/")
    assert response.status_code == 200
    _assert_headers(response)
    # Pages also say it the old way, for browsers without frame-ancestors.
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_upgrades_insecure_requests(settings):
    from common.security import header_value

    assert header_value({"default-src": ["'self'"], "upgrade-insecure-requests": []}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )


# What a strict CSP blocks: a <script> without src (a JSON data block is fine: it is not run),
# a <style> element, a style attribute, an on* handler, javascript: URLs, htmx's hx-on (code
# htmx would have to eval).
BLOCKED = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json)", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on": re.compile(r"\shx-on[:-]", re.I),
}
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)


def csp_violations(text: str) -> list[str]:
    text = COMMENT.sub("", text)
    return [what for what, pattern in BLOCKED.items() if pattern.search(text)]


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<input style="width:6em">',
        '<button onclick="go()">',
        "<style>p{}</style>",
        '<a href="javascript:go()">',
        '<div hx-on:click="go()">',
    ],
)
def test_the_check_finds_what_csp_blocks(html):
    assert csp_violations(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/mulin.js" defer></script>',
        '<script type="application/json" id="config">{}</script>',
        '<input class="input-narrow" data-on="1">',
        "{# no <style> here #}",
    ],
)
def test_the_check_lets_the_allowed_through(html):
    assert not csp_violations(html)


def test_no_template_has_what_the_policy_blocks():
    found = {
        str(path): problems
        for path in templates()
        if (problems := csp_violations(path.read_text(encoding="utf-8")))
    }
    assert not found, found


def test_htmx_does_not_inject_its_indicator_style():
    base = next(path for path in templates() if path.name == "base.html")
    assert '"includeIndicatorStyles": false' in base.read_text(encoding="utf-8")
