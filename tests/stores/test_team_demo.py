"""The team in `make demo` (issue 15): a former 客服 who has left, whose checklists and scores still
name them, and an invited 客服 whose printed link sets her password."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

from kpi.models import KpiScore
from stores.models import PersonChange
from tasks.models import DailyChecklist

User = get_user_model()


@pytest.fixture
def demo(db, capsys):
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--years", "0", "--stores", "2")
    return capsys.readouterr().out


def test_the_former_staff_member_has_left_with_their_history_kept(demo):
    former = User.objects.get(username="former")
    assert not former.is_active
    assert DailyChecklist.objects.filter(user=former).exists()
    assert KpiScore.objects.filter(user=former).exists()
    assert PersonChange.objects.filter(person=former, action="deactivated").exists()
    assert "former " not in demo.split("Team:")[0], "not offered as a login"
    lead = Client()
    lead.force_login(User.objects.get(username="lead"))
    lead.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    team = lead.get("/team/").content.decode()
    assert "吴佳琪" in team.split("Deactivated", 1)[1]
    assert "钱小雨" in team and "invited" in team


def test_the_invitation_printed_by_the_demo_works(demo):
    path = re.search(r"http://127\.0\.0\.1:8000(/account/welcome/\S+)", demo).group(1)
    newcomer = Client()
    newcomer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = newcomer.get(path, follow=True)
    assert "Choose a password" in form.content.decode()
    done = newcomer.post(
        form.redirect_chain[-1][0], {"new_password1": "Xinren-pass-1357", "new_password2": "Xinren-pass-1357"}
    )
    assert done.status_code == 302
    assert User.objects.get(username="xinren").check_password("Xinren-pass-1357")
