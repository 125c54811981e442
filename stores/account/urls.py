from django.urls import path

from stores.account import views

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("sessions/end-others/", views.other_sessions_end, name="other_sessions_end"),
]
