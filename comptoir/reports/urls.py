from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("sales.csv", views.sales_csv, name="sales_csv"),
]
