from django.contrib import admin

from stores import metrics
from stores.models import (
    DailyMetric,
    Organisation,
    OrgMembership,
    Store,
    StoreAssignment,
    TrafficSourceGroup,
    TrafficSourceName,
)


class OrgMembershipInline(admin.TabularInline):
    model = OrgMembership
    extra = 0
    autocomplete_fields = ["user"]


class StoreAssignmentInline(admin.TabularInline):
    model = StoreAssignment
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrgMembershipInline]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "platform", "shop_type", "category", "active"]
    list_filter = ["organisation", "platform", "shop_type", "active"]
    search_fields = ["name", "slug", "category"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StoreAssignmentInline]


@admin.register(OrgMembership)
class OrgMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    autocomplete_fields = ["user"]


@admin.register(StoreAssignment)
class StoreAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "role"]
    list_filter = ["store__organisation", "store", "role"]
    autocomplete_fields = ["user"]


@admin.register(DailyMetric)
class DailyMetricAdmin(admin.ModelAdmin):
    list_display = ["store", "date", "gmv", "uv", "paid_buyers", "source", "updated_at"]
    list_filter = ["store", "source"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["entered_by"]
    fieldsets = [
        (None, {"fields": ["store", "date"]}),
        ("", {"fields": list(metrics.RECORDED_CODES)}),
        ("", {"fields": ["source", "entered_by", "source_note", "created_at", "updated_at"]}),
    ]


# The traffic-source mapping (docs/items.md#traffic-sources): the ops lead maps each new name once.
@admin.register(TrafficSourceGroup)
class TrafficSourceGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "position"]
    list_editable = ["position"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


@admin.register(TrafficSourceName)
class TrafficSourceNameAdmin(admin.ModelAdmin):
    list_display = ["level1", "level2", "group", "needs_mapping", "first_seen"]
    list_editable = ["group"]
    # The flagged names first: they are what the lead comes here for.
    list_filter = ["needs_mapping", "group__level", "group"]
    ordering = ["-needs_mapping", "level1", "level2"]
    search_fields = ["level1", "level2", "group__name"]
    readonly_fields = ["first_seen"]
