from django.urls import path

from stores.team import views

app_name = "team"
urlpatterns = [
    path("", views.people, name="people"),
    path("<slug:org_slug>/", views.people, name="people_of"),
    path("<slug:org_slug>/new/", views.person_new, name="person_new"),
    path("<slug:org_slug>/people/<int:person_id>/", views.person, name="person"),
    path("<slug:org_slug>/people/<int:person_id>/details/", views.person_details, name="person_details"),
    path("<slug:org_slug>/people/<int:person_id>/roles/", views.person_roles, name="person_roles"),
    path(
        "<slug:org_slug>/people/<int:person_id>/deactivate/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "<slug:org_slug>/people/<int:person_id>/reactivate/",
        views.person_reactivate,
        name="person_reactivate",
    ),
    path(
        "<slug:org_slug>/people/<int:person_id>/password-link/",
        views.person_password_link,
        name="person_password_link",
    ),
]
