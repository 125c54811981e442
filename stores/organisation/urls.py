from django.urls import path

from stores.organisation import views

urlpatterns = [
    path("", views.settings_page, name="organisation_settings"),
    path("<slug:slug>/", views.settings_page, name="organisation_settings_org"),
    path("<slug:slug>/<slug:code>/", views.section_save, name="organisation_section_save"),
]
