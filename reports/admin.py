from django.contrib import admin

from reports.models import (
    Alert,
    AlertThreshold,
    OrganisationRollup,
    RollupRun,
    StoreRollup,
    WeeklyCommentary,
    WeeklyEmail,
    WeeklyEmailSettings,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rollups are computed, never typed: `manage.py rollup` rebuilds them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StoreRollup)
class StoreRollupAdmin(ReadOnlyAdmin):
    list_display = ["store", "kind", "period_start", "period_end", "store_days", "gmv", "uv", "computed_at"]
    list_filter = ["kind", "store__organisation"]
    search_fields = ["store__name", "store__slug"]
    date_hierarchy = "period_start"

    def has_delete_permission(self, request, obj=None):
        # Only reports.services writes them: a row deleted here would leave its period without numbers.
        return False


@admin.register(OrganisationRollup)
class OrganisationRollupAdmin(ReadOnlyAdmin):
    list_display = [
        "organisation",
        "kind",
        "period_start",
        "period_end",
        "store_days",
        "gmv",
        "uv",
        "computed_at",
    ]
    list_filter = ["kind", "organisation"]
    date_hierarchy = "period_start"


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = [
        "store",
        "organisation",
        "trigger",
        "first_day",
        "last_day",
        "status",
        "attempts",
        "queued_at",
    ]
    list_filter = ["status", "trigger", "organisation"]


@admin.register(AlertThreshold)
class AlertThresholdAdmin(admin.ModelAdmin):
    list_display = ["store", "name", "value"]
    list_filter = ["name", "store__organisation"]
    autocomplete_fields = ["store"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["day", "store", "rule", "status", "value", "threshold", "acknowledged_by"]
    list_filter = ["status", "rule", "organisation"]
    date_hierarchy = "day"
    readonly_fields = ["raised_at", "updated_at"]


admin.site.register(WeeklyCommentary)
admin.site.register(WeeklyEmail)


@admin.register(WeeklyEmailSettings)
class WeeklyEmailSettingsAdmin(admin.ModelAdmin):
    """Also on the organisation's settings page (/organisation/), for its ops lead."""

    list_display = ["organisation", "enabled", "send_time", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
