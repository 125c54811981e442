from django.urls import path

from stores import views
from stores.store_settings import views as store_settings_views

app_name = "stores"
urlpatterns = [
    path("", views.store_list, name="list"),
    # Before the store's own pages: "new" is not a store (stores.store_settings.services.RESERVED_SLUGS).
    path("new/", store_settings_views.store_new, name="new"),
    path("<slug:slug>/", views.store_detail, name="detail"),
    path("<slug:slug>/edit/", store_settings_views.store_edit, name="edit"),
    path("<slug:slug>/archive/", store_settings_views.store_archive, name="archive"),
    path("<slug:slug>/unarchive/", store_settings_views.store_unarchive, name="unarchive"),
    path("<slug:slug>/export/", views.store_export, name="export"),
    path("<slug:slug>/entry/", views.daily_entry, name="entry"),
    path("<slug:slug>/entry/<str:date>/", views.daily_entry, name="entry_day"),
]
