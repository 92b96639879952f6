from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from comptoir.accounts import views as account_views
from comptoir.core import views as core_views

admin.site.site_header = "Comptoir"
admin.site.site_title = "Comptoir"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", account_views.set_language, name="set_language"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("orders/", include("comptoir.orders.urls")),
    path("customers/", include("comptoir.customers.urls")),
    path("reports/", include("comptoir.reports.urls")),
    path("api/", include("comptoir.api.urls")),
    path("setup/", admin.site.urls),
]
