from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def report_index(request):
    return render(request, "core/placeholder.html")
