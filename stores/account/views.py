"""My account: the page, the password change (Django's PasswordChangeView: its validators, and the
other sessions end because the password's hash changes), and logging out everywhere else."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stores.account import services


class AccountForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["last_name", "first_name", "email"]


def account(request):
    """/account/: one's own name and email; links to the password change and to log out elsewhere."""
    if request.method == "POST":
        form = AccountForm(request.POST, instance=request.user)
        if form.is_valid():
            services.account_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your details are saved."))
            return redirect("account")
    else:
        form = AccountForm(instance=request.user)
    return render(request, "account/account.html", {"form": form})


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
