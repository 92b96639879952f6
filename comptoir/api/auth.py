"""Bearer-token authentication for the JSON API."""

import functools
from datetime import timedelta

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .models import ApiToken, hash_token

# Writing last_used_at on every call would turn each read into a write; once
# a minute is precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


def error_response(message: str, *, status: int, field: str | None = None):
    """Return the API's error shape: a list of {field, message}."""
    return JsonResponse(
        {"errors": [{"field": field, "message": message}]}, status=status
    )


def _unauthorized(message: str) -> JsonResponse:
    response = error_response(message, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="comptoir"'
    return response


def authenticate(header: str) -> tuple[ApiToken | None, str]:
    """Return the live token named by an Authorization header, or why not."""
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None, _(
            "Send your API token in the Authorization header: Bearer <token>."
        )
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret.strip()))
        .first()
    )
    if token is None:
        return None, _("This API token is not valid.")
    if token.revoked_at is not None:
        return None, _("This API token was revoked.")
    if not token.user.is_active:
        return None, _("The user of this API token can no longer log in.")
    return token, ""


def token_required(view):
    """Run `view` as the user of the request's bearer token; 401 without one.

    The session is never consulted: an API call is authenticated by its token
    alone, which is why these views need no CSRF token (a browser cannot be
    tricked into sending someone's bearer token).
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        token, problem = authenticate(request.headers.get("Authorization", ""))
        if token is None:
            return _unauthorized(problem)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > (
            LAST_USED_PRECISION
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.user = token.user
        request.api_token = token
        return view(request, *args, **kwargs)

    return wrapped
