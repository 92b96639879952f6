import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .selectors import sales_by_cycle

COLUMNS = [
    ("order_cycle__name", gettext_noop("Order cycle")),
    ("distributor__name", gettext_noop("Distributor")),
    ("orders", gettext_noop("Orders")),
    ("item_total", gettext_noop("Items")),
    ("fee_total", gettext_noop("Fees")),
    ("shipping_total", gettext_noop("Shipping")),
    ("payment_fee_total", gettext_noop("Payment fees")),
    ("adjustment_total", gettext_noop("Adjustments")),
    ("included_tax", gettext_noop("Tax included")),
    ("additional_tax", gettext_noop("Tax added")),
    ("total", gettext_noop("Total")),
    ("paid", gettext_noop("Paid")),
]


@login_required
def report_index(request):
    """Sales per order cycle and distributor, from complete orders."""
    rows = list(sales_by_cycle(request.user))
    return render(request, "reports/report_index.html", {"rows": rows})


@login_required
def sales_csv(request):
    """The same report as a CSV file for a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sales-by-cycle.csv"'
    writer = csv.writer(response)
    writer.writerow([_(label) for _key, label in COLUMNS])
    for row in sales_by_cycle(request.user):
        writer.writerow([row[key] for key, _label in COLUMNS])
    return response
