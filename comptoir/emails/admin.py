from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comptoir.core.admin import ScopedAdmin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ScopedAdmin):
    """The outbox, read-only: messages are written by services, not by hand."""

    list_display = ["created_at", "kind", "order", "recipient_list", "state"]
    list_filter = ["state", "kind"]
    list_select_related = ["order"]
    search_fields = ["order__number", "subject"]
    date_hierarchy = "created_at"

    @admin.display(description=_("to"))
    def recipient_list(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
