import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    """Return the SHA-256 of a token, as stored: the token itself never is."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A secret that lets a program act as its user through the JSON API.

    Only the token's SHA-256 and its first characters are kept: whoever reads
    the database cannot use a token, and a manager can still tell theirs apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What uses this token, such as “Cagette shop sync”."),
    )
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
