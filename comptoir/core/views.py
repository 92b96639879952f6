from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from comptoir.cycles.selectors import open_cycles_for
from comptoir.enterprises.selectors import managed_enterprises


@login_required
def home(request):
    """Show a manager their enterprises and the order cycles open now."""
    now = timezone.now()
    enterprises = managed_enterprises(request.user)
    hubs = [enterprise for enterprise in enterprises if enterprise.is_hub]
    producers = [e for e in enterprises if not e.is_hub]
    cycles = open_cycles_for(request.user, now=now)
    return render(
        request,
        "core/home.html",
        {"hubs": hubs, "producers": producers, "cycles": cycles, "now": now},
    )


def healthz(request):
    """Answer a load balancer: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
