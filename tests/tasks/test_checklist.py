from django.urls import reverse


def test_checklist_page_lists_the_stores_the_user_works_in(personas, client_for):
    page = client_for(personas.customer_service).get(reverse("tasks:checklist")).content.decode()
    assert "A店" in page and "B店" not in page
