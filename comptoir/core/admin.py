"""Django admin as the setup interface, scoped by the one access rule."""

from django.contrib import admin

from comptoir.enterprises.selectors import (
    is_super_admin,
    scope_for,
    shared_reference_data_editable,
)


def _scoped_choices(user, model):
    try:
        return scope_for(user, model._default_manager.all())
    except LookupError:
        return None


class ScopedChoicesMixin:
    """Offer only the related rows the user may see in select boxes."""

    open_choices: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name not in self.open_choices:
            choices = _scoped_choices(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name not in self.open_choices:
            choices = _scoped_choices(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A model admin that shows and changes only what the user may see.

    Permissions come from the access rule, not Django's per-model
    permissions, so a manager needs no permission rows to set up their
    enterprises; `open_choices` names relations whose choices are not
    scoped (a coordinator picks other producers' variants and fees).
    """

    super_admin_only_add = False

    def get_queryset(self, request):
        return scope_for(request.user, super().get_queryset(request))

    def _is_staff(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._can_touch(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._can_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._can_touch(request, obj)

    def has_add_permission(self, request):
        if self.super_admin_only_add:
            return is_super_admin(request.user)
        return self._is_staff(request)

    def _can_touch(self, request, obj) -> bool:
        if not self._is_staff(request):
            return False
        if obj is None or is_super_admin(request.user):
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """An inline whose relations follow the same rule as ScopedAdmin."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Instance-wide data (taxes, zones): every manager reads, super admins edit."""

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return shared_reference_data_editable(request.user)

    def has_add_permission(self, request):
        return shared_reference_data_editable(request.user)

    def has_delete_permission(self, request, obj=None):
        return shared_reference_data_editable(request.user)
