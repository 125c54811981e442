from django.shortcuts import render

from stores.models import StoreAssignment


def checklist(request):
    assignments = StoreAssignment.objects.filter(user=request.user).select_related("store")
    return render(request, "tasks/checklist.html", {"assignments": assignments})
