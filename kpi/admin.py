"""The trading calendar and the planning settings are edited here (superusers); plans themselves are
changed on the plan page, where every change is checked, re-balanced and versioned."""

from django.contrib import admin

from kpi.models import (
    HolidayDay,
    KpiItem,
    KpiPersonValue,
    KpiTemplate,
    OrganisationTarget,
    PlanChange,
    PlanSettings,
    PromotionNode,
    SalesTarget,
)


@admin.register(PromotionNode)
class PromotionNodeAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "presale_start", "peak_start", "peak_end", "return_end", "peak_uplift")
    list_filter = ("year", "code")
    ordering = ("year", "peak_start")


@admin.register(HolidayDay)
class HolidayDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "day_off")
    list_filter = ("name", "day_off")
    date_hierarchy = "date"


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "first_month")


@admin.register(OrganisationTarget)
class OrganisationTargetAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "annual")


class PlanChangeInline(admin.TabularInline):
    model = PlanChange
    fields = ("version", "kind", "label", "before", "after", "reason", "changed_by", "changed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SalesTarget)
class SalesTargetAdmin(admin.ModelAdmin):
    """Read only: a change made here would skip the re-balancing and the history."""

    list_display = ("store", "year", "annual", "floor_percent", "stretch_percent", "version")
    list_filter = ("year",)
    inlines = [PlanChangeInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


class KpiItemInline(admin.TabularInline):
    model = KpiItem
    extra = 0


@admin.register(KpiTemplate)
class KpiTemplateAdmin(admin.ModelAdmin):
    """Read here; the ops lead edits templates on /kpi/templates/, where the weights are checked."""

    list_display = ("organisation", "role", "updated_at")
    inlines = [KpiItemInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KpiPersonValue)
class KpiPersonValueAdmin(admin.ModelAdmin):
    """A person's own target or weight for one item of their role's template."""

    list_display = ("item", "user", "week_target", "month_target", "weight")
    list_select_related = ("item__template", "user")
