from django.contrib import admin

from comptoir.core.admin import ScopedAdmin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(ScopedAdmin):
    list_display = ["email", "first_name", "last_name", "code", "hub"]
    list_select_related = ["hub"]
    search_fields = ["email", "first_name", "last_name", "code"]
    raw_id_fields = ["bill_address", "ship_address"]
    exclude = ["user"]
