from django.urls import path

from stores import views

app_name = "stores"
urlpatterns = [
    path("", views.store_list, name="list"),
    path("<slug:slug>/", views.store_detail, name="detail"),
    path("<slug:slug>/export/", views.store_export, name="export"),
    path("<slug:slug>/entry/", views.daily_entry, name="entry"),
    path("<slug:slug>/entry/<str:date>/", views.daily_entry, name="entry_day"),
]
