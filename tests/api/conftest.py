"""Tokens and the worked example as the JSON API receives it."""

import copy
import json

import pytest

from comptoir.api.services import create_api_token

WORKED_EXAMPLE = {
    "distributor": "le-panier-local",
    "order_cycle": "Semaine en cours",
    "platform": "Cagette",
    "external_reference": "CG-1042",
    "placed_at": "2024-05-03T14:30:00+02:00",
    "email": "marie.dupont@example.fr",
    "customer": {"first_name": "Marie", "last_name": "Dupont", "phone": "0612345678"},
    "bill_address": {
        "address1": "12 rue des Lilas",
        "zipcode": "69003",
        "city": "Lyon",
        "country": "FR",
    },
    "ship_address": None,
    "lines": [
        {"sku": "CAR-1KG", "quantity": 2},
        {"sku": "COM-250", "producer": "fromagerie-bel-air", "quantity": 1},
        {"sku": "BAG-TRA", "quantity": 3},
    ],
    "shipping_method": "Livraison à domicile",
    "payment_method": "Carte bancaire (TPE)",
    "amount_paid": "24.71",
    "customer_note": "Sonner deux fois.",
}


@pytest.fixture
def payload():
    """A fresh copy of the worked example's body, to change at will."""
    return copy.deepcopy(WORKED_EXAMPLE)


@pytest.fixture
def token(hub_manager) -> str:
    return create_api_token(user=hub_manager, name="Cagette sync")[1]


@pytest.fixture
def other_token(other_hub_manager) -> str:
    return create_api_token(user=other_hub_manager, name="Épicerie sync")[1]


@pytest.fixture
def api(client):
    """Call the API with a token: api.get(url, token), api.post(url, body, token)."""

    # English unless a test asks otherwise: with no Accept-Language header
    # the API answers in the instance's language, French.
    class Api:
        def get(self, url, token, **headers):
            headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
            return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)

        def post(self, url, body, token, **headers):
            headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
            data = body if isinstance(body, bytes | str) else json.dumps(body)
            return client.post(
                url,
                data=data,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                **headers,
            )

    return Api()
