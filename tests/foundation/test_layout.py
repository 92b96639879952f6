"""Every page of the base layout renders, in French and in English."""

import pytest

PAGES = [
    "/",
    "/customers/",
    "/reports/",
    "/password/change/",
    "/setup/",
]
PUBLIC_PAGES = ["/login/", "/password/reset/"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_manager_pages_render(client, hub_manager, path, language):
    client.force_login(hub_manager)

    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert response["Content-Language"] == language


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_render_in_both_languages(client, db, path):
    french = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="fr">' in french
    assert '<html lang="en">' in english


def test_navigation_uses_the_guides_words_in_french(client, hub_manager):
    client.force_login(hub_manager)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    for word in ("Commandes", "Clients", "Rapports", "Configuration"):
        assert word in page


def test_navigation_in_english(client, hub_manager):
    client.force_login(hub_manager)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for word in ("Orders", "Customers", "Reports", "Setup"):
        assert word in page


def test_home_lists_the_managers_hubs_and_open_cycles(client, hub_manager):
    client.force_login(hub_manager)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Le Panier Local" in page
    assert "Semaine en cours" in page
    assert "Semaine prochaine" not in page


def test_saved_language_wins_over_the_browser(client, hub_manager):
    client.force_login(hub_manager)

    client.post("/language/", {"language": "en", "next": "/"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    hub_manager.refresh_from_db()
    assert hub_manager.language == "en"
    assert page["Content-Language"] == "en"


def test_login_by_email_then_logout(client, hub_manager):
    response = client.post(
        "/login/", {"username": "Manager@Panier-Local.test", "password": "demo"}
    )
    assert response.status_code == 302

    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_pages_need_login(client, db):
    response = client.get("/customers/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_healthz(client, db):
    assert client.get("/healthz").content == b"ok"
