"""What OpsDesk keeps about a person beyond Django's user: their phone and language, their
set-password link, and the record of every change the team page made to them (docs/team.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stores.models.organisations import Organisation, person_field


class Profile(models.Model):
    """One per user, made when the team page adds them (or on first need, with the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Empty: the organisation's default, else the site's (settings.LANGUAGE_CODE).
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # When the newest set-password link was made: a link is valid until PASSWORD_RESET_TIMEOUT
    # after it, and only until the password is set (Django's token holds the password's hash).
    password_link_sent_at = models.DateTimeField(_("set-password link made"), null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class PersonChange(models.Model):
    """One change to a person made from the team page: who did it, when, what before and after."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        DETAILS = "details", _("Details changed")
        ROLES = "roles", _("Roles changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        PASSWORD_LINK = "password_link", _("Set-password link made")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="changes", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="person_changes", verbose_name=_("organisation")
    )
    action = models.CharField(_("change"), max_length=20, choices=Action.choices)
    changed_by = person_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    # {field or "roles": value}; roles as sorted "store-slug:role" / "org:role" labels.
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change to a person")
        verbose_name_plural = _("changes to people")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["person", "-changed_at"], name="person_change_person_recent")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_action_display()} {self.changed_at:%Y-%m-%d}"
