from django.contrib import admin

from comptoir.core.admin import ScopedAdmin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    super_admin_only_add = True
    list_display = ["name", "kind", "city", "charges_sales_tax"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["managers"]
    open_choices = ("managers",)

    def get_readonly_fields(self, request, obj=None):
        # Who manages an enterprise is decided by a super admin.
        if request.user.is_superuser:
            return ()
        return ("managers", "slug")
