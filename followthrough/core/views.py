from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import second_factor
from .forms import SecondFactorForm, SignInForm


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), then enter a code."""
    if second_factor.has_confirmed_device(request.user):
        return redirect("core:second-factor")
    device = second_factor.device_for_setup(request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.second_factor_confirm(
            request=request, device=device, token=form.cleaned_data["code"]
        ):
            messages.success(request, "Your authenticator app has been added")
            return redirect("/")
        form.add_error("code", "The code is not right. Check the time on your phone and try again.")
    return render(
        request,
        "core/second_factor_setup.html",
        {
            "form": form,
            "qr_svg": second_factor.setup_qr_svg(device),
            "secret": second_factor.secret_for_typing(device),
        },
    )


@require_http_methods(["GET", "POST"])
def second_factor_code(request: HttpRequest) -> HttpResponse:
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.second_factor_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_safe_next(request))
        form.add_error(
            "code", "The code is not right, or has expired. Enter the code your app shows now."
        )
    return render(
        request, "core/second_factor_code.html", {"form": form, "next": _safe_next(request)}
    )


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """Extends the session (the "Stay signed in" button of the timeout warning)."""
    request.session.modified = True
    return JsonResponse({"expires_in": request.session.get_expiry_age()})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted after its session ended: sign in again (typed text is kept in the tab),
    rather than Django's bare "CSRF verification failed" page."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
    return render(request, "403_csrf.html", status=403)
