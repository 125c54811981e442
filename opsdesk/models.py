"""The durable record of every background job (an outbox; see docs/jobs.md).

A job is written here in the same transaction as the change that needs it, so neither a
Redis outage nor a crash between the commit and the queueing can lose it. Queueing it in RQ
is only a delivery attempt: the sweeper (opsdesk.queue.jobs_sweep) delivers what is still
waiting, retries what a dead worker abandoned and gives up, with a reason, on what fails
too often.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")  # to be delivered, or delivered and not started yet
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # The job's function by its dotted path, called with args and kwargs (JSON).
    name = models.CharField(_("job"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    queue_name = models.CharField(_("queue"), max_length=20, default="default")
    # Called as on_failure(*args, reason=..., **kwargs) once the job has failed for good.
    on_failure = models.CharField(_("on failure"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("most attempts"), default=1)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    # Set when handed to RQ; cleared when the job must be handed over again.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Touched every few seconds by the process running the job: a stale one means it died.
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [
            # The sweeper and the health check read only the unfinished jobs.
            models.Index(
                fields=["status", "not_before"],
                name="job_unfinished",
                condition=Q(status__in=["waiting", "running"]),
            ),
            models.Index(fields=["finished_at"], name="job_finished"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name} {self.status}"

    @property
    def rq_job_id(self) -> str:
        """The RQ job of the latest delivery: a new id each time, so an old delivery's record
        in RQ is never mistaken for the current one."""
        return f"opsdesk-{self.pk}-{self.deliveries}"
