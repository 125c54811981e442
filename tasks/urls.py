from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("team/", views.team, name="team"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:template_id>/", views.template_edit, name="template_edit"),
    path("templates/<int:template_id>/items/", views.template_item_add, name="template_item_add"),
    path(
        "templates/<int:template_id>/items/<int:item_id>/",
        views.template_item_save,
        name="template_item_save",
    ),
    path(
        "templates/<int:template_id>/items/<int:item_id>/delete/",
        views.template_item_delete,
        name="template_item_delete",
    ),
    path(
        "templates/<int:template_id>/items/<int:item_id>/move/",
        views.template_item_move,
        name="template_item_move",
    ),
    path("items/<int:item_id>/", views.item_tick, name="tick"),
    path("<str:day>/", views.checklist_day, name="checklist_day"),
    path("<str:day>/report/", views.report_submit, name="report_submit"),
]
