from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.enterprises.selectors import is_super_admin

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Each user sees and revokes their own tokens; a super admin sees all.

    A token's secret is shown once, when it is made; afterwards only its first
    characters are, so a leaked admin page leaks no usable token.
    """

    form = ApiTokenForm
    list_display = [
        "name",
        "prefix_shown",
        "user",
        "created_at",
        "last_used_at",
        "state",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    actions = ["revoke"]
    readonly_fields = ["prefix_shown", "created_at", "last_used_at", "revoked_at"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        if is_super_admin(request.user):
            return tokens
        return tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        fields = ["name"]
        if is_super_admin(request.user):
            fields.append("user")
        return fields + (self.readonly_fields if obj is not None else [])

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A token is named once; its owner never changes.
        return ["user", *self.readonly_fields]

    def _is_staff(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request) and (
            obj is None
            or is_super_admin(request.user)
            or obj.user_id == request.user.pk
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self._is_staff(request)

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay listed: when each was last used is worth keeping.
        return False

    @admin.display(description=_("token"))
    def prefix_shown(self, obj):
        return f"{obj.prefix}…" if obj.prefix else ""

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("revoked") if obj.revoked_at else _("active")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        if not (is_super_admin(request.user) and obj.user_id):
            obj.user = request.user
        secret = services.issue_secret(obj)
        obj.save()
        messages.warning(
            request,
            _("Copy this token now, it will not be shown again: %(token)s")
            % {"token": secret},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.revoke_api_token(token=token)
        self.message_user(
            request,
            ngettext(
                "%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)
            )
            % {"count": len(tokens)},
        )
