from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control, patch_vary_headers
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


# Browser features Koers never uses, switched off for the page and everything embedded in it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PrivacyHeadersMiddleware:
    """Headers that keep what a logged-in user sees to that user.

    - `Cache-Control: private` on every response to a logged-in user: programme pages must
      never be stored by a shared cache (a proxy) and served to someone else. A response that
      already says `no-store` (the Excel download) is left as it is.
    - `Permissions-Policy` on every response, static files included: no camera, microphone,
      location, payment and the like, even if a script ever slipped in.

    Placed before WhiteNoise so static files get the policy too; they have no `request.user`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            directives = response.get("Cache-Control", "")
            if "no-store" not in directives and "private" not in directives:
                patch_cache_control(response, private=True)
        return response
