"""My account: the page, the password change (Django's PasswordChangeView: its validators, and the
other sessions end because the password's hash changes), and logging out everywhere else."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from stores.account import services


class AccountForm(forms.ModelForm):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = get_user_model()
        fields = ["last_name", "first_name", "email"]


def account(request):
    """/account/: one's own name, email and language; links to the password change and to log out
    elsewhere."""
    if request.method == "POST":
        form = AccountForm(request.POST, instance=request.user)
        if form.is_valid():
            services.account_update(user=request.user, **form.cleaned_data)
            language = form.cleaned_data["language"]
            with translation.override(language):
                messages.success(request, _("Your details are saved."))
            return _with_language(redirect("account"), language)
    else:
        form = AccountForm(instance=request.user, initial={"language": translation.get_language()})
    return render(request, "account/account.html", {"form": form})


def language_set(request):
    """The language switch at the top of every page (Django's set_language), remembered as the
    person's own language when they are logged in."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_save(user=request.user, language=language)
    return response


class Login(auth_views.LoginView):
    """Django's login; the pages then come in the person's own language, on whatever device."""

    def form_valid(self, form):
        response = super().form_valid(form)
        return _with_language(response, services.language_of(form.get_user()))


def _with_language(response, language: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
def other_sessions_end(request):
    ended = services.other_sessions_end(user=request.user, current_session_key=request.session.session_key)
    messages.success(request, _("Logged out everywhere else (%(count)s sessions).") % {"count": ended})
    return redirect("account")


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "account/password_change.html"
    success_url = reverse_lazy("account")
    title = gettext_lazy("Change your password")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed; your other sessions have ended."))
        return response


class PasswordSet(auth_views.PasswordResetConfirmView):
    """The one-time link: Django's own view (its token, expiry and validators); the person is
    logged in once the password is set. A deactivated person's link leads nowhere."""

    template_name = "account/password_set.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")
    title = gettext_lazy("Set your password")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        _with_language(response, services.language_of(form.user))
        messages.success(self.request, _("Your password is set. Welcome to OpsDesk."))
        return response
