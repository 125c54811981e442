from django.contrib.auth.decorators import login_not_required
from django.urls import path

from stores.account import views

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("sessions/end-others/", views.other_sessions_end, name="other_sessions_end"),
    # The one-time set-password link of a new person (or a reset), without a login of course.
    path("welcome/<uidb64>/<token>/", login_not_required(views.PasswordSet.as_view()), name="password_set"),
]
