from django.urls import path

from . import views

app_name = "orders"

# Orders are addressed by their human number (R123456789), never their key.
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_new, name="new"),
    path("new/cycles/", views.new_order_cycles, name="new_cycles"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/customer/", views.order_customer, name="customer"),
    path(
        "<str:number>/customer/search/",
        views.customer_search,
        name="customer_search",
    ),
    path("<str:number>/details/", views.order_details, name="details"),
    path("<str:number>/details/products/", views.product_search, name="products"),
    path("<str:number>/details/add/", views.add_line, name="add_line"),
    path(
        "<str:number>/details/lines/<int:line_id>/remove/",
        views.remove_line,
        name="remove_line",
    ),
    path("<str:number>/shipping/", views.set_shipping, name="shipping"),
    path("<str:number>/adjustments/", views.order_adjustments, name="adjustments"),
    path(
        "<str:number>/adjustments/<int:adjustment_id>/",
        views.adjustment_update,
        name="adjustment_update",
    ),
    path(
        "<str:number>/adjustments/<int:adjustment_id>/remove/",
        views.adjustment_remove,
        name="adjustment_remove",
    ),
    path("<str:number>/payments/", views.order_payments, name="payments"),
    path(
        "<str:number>/payments/method/",
        views.set_payment_method,
        name="payment_method",
    ),
    path("<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("<str:number>/emails/resend/", views.email_resend, name="email_resend"),
    path("<str:number>/emails/retry/", views.email_retry, name="email_retry"),
    path("<str:number>/history/", views.order_history, name="history"),
]
