from django.urls import resolve
from django.urls.exceptions import Resolver404


def navigation(request):
    """Tell the base layout which top-level section is current."""
    try:
        namespace = resolve(request.path_info).namespace
    except Resolver404:
        namespace = ""
    return {"nav_section": namespace}
