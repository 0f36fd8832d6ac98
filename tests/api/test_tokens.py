"""Getting, using and revoking API tokens; failures counted per number, as on the login page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from accounts.models import ApiToken
from audit.models import AuditEntry
from tests.api.conftest import PASSWORD, api_client
from tests.factories import totp_device

TOKEN_URL = "/api/v1/auth/token"


def post_token(client: Client, **body):
    return client.post(TOKEN_URL, body, content_type="application/json")


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def bearer(key: str) -> Client:
    client = Client(headers={"Authorization": f"Bearer {key}"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_resident_gets_a_token_uses_it_and_revokes_it(anonymous_api, resident):
    response = post_token(anonymous_api, phone=f"+86 {resident.phone}", password=PASSWORD, name="我的手机")
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    assert body["prefix"] == key[6:14] and body["name"] == "我的手机"
    stored = ApiToken.objects.get(user=resident)
    assert stored.key_hash != key and key not in stored.key_hash  # only a hash is kept
    assert stored.expires_at is not None and stored.expires_at > timezone.now() + timedelta(days=29)
    audit = AuditEntry.objects.filter(object_repr=str(stored)).get()
    assert (audit.action, audit.actor_id) == ("create", resident.pk)

    app = bearer(key)
    assert app.get("/api/v1/me").json()["name"] == "居民丁"
    assert app.delete(TOKEN_URL).status_code == 204
    response = app.get("/api/v1/me")
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "The API token is not valid: it is wrong, expired or revoked.",
    )


def test_revoking_needs_the_token_itself(owner_client):
    response = owner_client.delete(TOKEN_URL)  # a browser session has no token to revoke
    assert response.status_code == 401


def test_a_wrong_password_says_how_many_tries_are_left(anonymous_api, resident):
    response = post_token(anonymous_api, phone=resident.phone, password="wrong")
    assert (response.status_code, response.json()) == (
        401,
        {
            "detail": "The mobile number or the password is not right. "
            "4 more wrong tries lock this number on this network."
        },
    )
    assert not ApiToken.objects.exists()


def test_five_wrong_passwords_lock_the_number_for_the_api_and_the_website(anonymous_api, resident):
    statuses = [
        post_token(anonymous_api, phone=resident.phone, password=f"wrong{n}").status_code for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
    response = post_token(anonymous_api, phone=resident.phone, password=PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "Too many wrong passwords for this number from this network: it is locked here for "
        "15 minutes. Another network is not locked; a committee's administrator can lift the lock."
    }
    assert not ApiToken.objects.exists()
    page = Client().post("/accounts/login/", {"phone": resident.phone, "password": PASSWORD})
    assert page.status_code == 429


def test_a_malformed_number_is_explained_and_not_counted(anonymous_api, resident):
    response = post_token(anonymous_api, phone="1390000", password=PASSWORD)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "A mainland mobile number has 11 digits; “1390000” has 7."
    assert body["errors"][0]["loc"] == ["body", "phone"]


def test_a_missing_field_is_named_and_the_password_is_not_echoed(anonymous_api, db):
    response = post_token(anonymous_api, phone="13900000000")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "password"]
    response = post_token(anonymous_api, phone=12, password="s3cret-echo")
    assert "s3cret-echo" not in response.content.decode()
    response = anonymous_api.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code in {400, 422}
    assert "detail" in response.json()


def test_staff_need_the_authenticator_code(anonymous_api, owner):
    device = totp_device(owner)
    response = post_token(anonymous_api, phone=owner.phone, password=PASSWORD)
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "Your roles need two-factor verification: send the app's code as otp.",
    )
    response = post_token(anonymous_api, phone=owner.phone, password=PASSWORD, otp="12345")
    assert (response.status_code, response.json()["errors"][0]["loc"]) == (422, ["body", "otp"])
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = post_token(anonymous_api, phone=owner.phone, password=PASSWORD, otp=wrong)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("That code is not right")
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = post_token(anonymous_api, phone=owner.phone, password=PASSWORD, otp=code_for(device))
    assert response.status_code == 201
    assert bearer(response.json()["token"]).get("/api/v1/me").status_code == 200


def test_wrong_codes_in_a_row_are_throttled(anonymous_api, owner):
    device = totp_device(owner)
    device.throttling_failure_count = 3
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    response = post_token(anonymous_api, phone=owner.phone, password=PASSWORD, otp=code_for(device))
    assert (response.status_code, response.json()["detail"]) == (
        429,
        "Too many wrong codes in a row. Wait 4 seconds before the next try.",
    )


def test_staff_without_an_authenticator_are_sent_to_set_one_up(anonymous_api, owner):
    response = post_token(anonymous_api, phone=owner.phone, password=PASSWORD, otp="123456")
    assert response.status_code == 403
    assert "set up an authenticator app on the website" in response.json()["detail"]


def test_a_password_reset_by_staff_must_be_changed_on_the_website_first(anonymous_api, resident):
    resident.must_change_password = True
    resident.save()
    response = post_token(anonymous_api, phone=resident.phone, password=PASSWORD)
    assert response.status_code == 403
    assert "choose a new one first" in response.json()["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"revoked_at": timezone.now()},
    ],
)
def test_expired_and_revoked_tokens_are_refused(resident, change):
    token, key = ApiToken.issue(resident)
    ApiToken.objects.filter(pk=token.pk).update(**change)
    assert bearer(key).get("/api/v1/me").status_code == 401


def test_a_disabled_accounts_token_stops_working(resident):
    client = api_client(resident)
    resident.is_active = False
    resident.save()
    assert client.get("/api/v1/me").status_code == 401


def test_use_is_recorded_at_most_every_few_minutes(resident, django_assert_num_queries):
    token, key = ApiToken.issue(resident)
    client = bearer(key)
    client.get("/api/v1/me/roles")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    with django_assert_num_queries(3):  # the token with its user, the grants for the scope, the list
        client.get("/api/v1/me/roles")
    token.refresh_from_db()
    assert token.last_used_at == first_use


def test_a_garbled_authorization_header_is_a_401(db):
    for value in ("Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Token abc"):
        response = Client(headers={"Authorization": value}).get("/api/v1/me")
        assert response.status_code == 401, value
