"""Bearer tokens: who may call the API, and the tokens' own pages."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from comptoir.api.models import ApiToken, hash_token
from comptoir.api.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db

ORDERS = "/api/orders/"


def test_a_call_without_a_token_is_refused(client, demo):
    # Given no Authorization header
    # When the orders are listed
    response = client.get(ORDERS, HTTP_ACCEPT_LANGUAGE="en")

    # Then the API answers 401 and says how to authenticate
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["message"] == (
        "Send your API token in the Authorization header: Bearer <token>."
    )


@pytest.mark.parametrize("header", ["Bearer cpt_not-a-token", "Basic abc", "Bearer"])
def test_an_unknown_or_malformed_token_is_refused(client, demo, token, header):
    response = client.get(ORDERS, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_a_revoked_token_is_refused(api, demo, token):
    # Given a token that was revoked
    revoke_api_token(token=ApiToken.objects.get(token_hash=hash_token(token)))

    # When it is used
    response = api.get(ORDERS, token)

    # Then it no longer works
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "This API token was revoked."


def test_the_token_of_a_deactivated_user_is_refused(api, demo, token, hub_manager):
    hub_manager.is_active = False
    hub_manager.save(update_fields=["is_active"])

    assert api.get(ORDERS, token).status_code == 401


def test_a_valid_token_is_accepted_and_its_use_recorded(api, demo, token):
    response = api.get(ORDERS, token)

    assert response.status_code == 200
    assert ApiToken.objects.get(token_hash=hash_token(token)).last_used_at is not None


def test_a_session_alone_does_not_open_the_api(client, demo, hub_manager):
    # Given a manager logged in through the site (a session cookie)
    client.force_login(hub_manager)

    # When the browser calls the API without a token
    response = client.get(ORDERS)

    # Then the session does not count: the API only trusts tokens
    assert response.status_code == 401


def test_token_calls_need_no_csrf_token_but_session_posts_get_none(
    demo, hub_manager, token, payload
):
    # Given a client that enforces CSRF like a browser, logged in too
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hub_manager)

    # When it posts without a token, then with one
    without = browser.post(ORDERS, payload, content_type="application/json")
    with_token = browser.post(
        ORDERS,
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    # Then the session alone is refused and the token is enough
    assert without.status_code == 401
    assert with_token.status_code == 201


def test_only_the_hash_and_a_prefix_are_stored(hub_manager, demo):
    token, secret = create_api_token(user=hub_manager, name="Shop")

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(secret) != secret
    assert secret.startswith(stored.prefix) and len(stored.prefix) == 10
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_create_api_token_prints_the_token_once(hub_manager, api):
    # When the command makes a token
    out = io.StringIO()
    call_command(
        "create_api_token",
        "Manager@Panier-Local.test",
        "--name",
        "Shop sync",
        stdout=out,
        stderr=io.StringIO(),
    )

    # Then it prints a token that works, stored only as its hash
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=hub_manager)
    assert token.name == "Shop sync"
    assert token.token_hash == hash_token(secret)
    assert api.get(ORDERS, secret).status_code == 200


def test_admin_lists_a_managers_own_tokens_only(
    client, demo, hub_manager, other_hub_manager, super_admin
):
    # Given a token of each manager
    own, _secret = create_api_token(user=hub_manager, name="Mine")
    theirs, _secret = create_api_token(user=other_hub_manager, name="Theirs")
    changelist = reverse("admin:api_apitoken_changelist")

    # When each looks at the tokens page
    client.force_login(hub_manager)
    mine = client.get(changelist)
    other_page = client.get(reverse("admin:api_apitoken_change", args=[theirs.pk]))
    client.force_login(super_admin)
    everything = client.get(changelist)

    # Then a manager sees their own, and a super admin every one
    assert "Mine" in mine.content.decode() and "Theirs" not in mine.content.decode()
    assert other_page.status_code in (302, 403, 404)
    assert {"Mine", "Theirs"} <= set(
        token.name for token in everything.context["cl"].result_list
    )


def test_admin_shows_a_new_token_once_and_revokes(client, demo, hub_manager, api):
    # Given a manager on the setup pages
    client.force_login(hub_manager)

    # When they add a token
    response = client.post(
        reverse("admin:api_apitoken_add"), {"name": "Shop"}, follow=True
    )

    # Then the secret is shown once, and works, for this manager
    words = [str(m).rsplit(" ", 1)[-1] for m in response.context["messages"]]
    [secret] = [word for word in words if word.startswith("cpt_") and len(word) > 40]
    token = ApiToken.objects.get(token_hash=hash_token(secret))
    assert token.user == hub_manager
    assert api.get(ORDERS, secret).status_code == 200

    # When they revoke it
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    # Then it stops working and stays listed
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(ORDERS, secret).status_code == 401
