from django.urls import path

from stores.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:batch_id>/", views.import_detail, name="detail"),
    path("<int:batch_id>/progress/", views.import_progress, name="progress"),
    path("<int:batch_id>/apply/", views.import_apply, name="apply"),
    path("<int:batch_id>/undo/", views.import_revert, name="revert"),
    path("<int:batch_id>/retry/", views.import_retry, name="retry"),
]
