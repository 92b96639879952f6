from django.urls import path

from . import views

app_name = "api"

# Orders are addressed by their human number (R123456789), never their key.
urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/<str:number>/", views.order, name="order_detail"),
    path("import/", views.import_orders, name="import"),
]
