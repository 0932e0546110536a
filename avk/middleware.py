from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


class HtmxChromeMiddleware:
    """htmx plumbing every page needs.

    - Pages answer htmx with fragments: `Vary: HX-Request` keeps caches and the back button
      from showing a fragment as a page.
    - An expired session answers an htmx request with a login redirect; swapping the login
      page into a fragment would be wrong, so the whole browser goes to the login page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            login_url = resolve_url(settings.LOGIN_URL)
            if response["Location"].startswith(login_url):
                current = request.htmx.current_url_abs_path or request.get_full_path()
                response = HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': current})}")
        patch_vary_headers(response, ["HX-Request"])
        return response
