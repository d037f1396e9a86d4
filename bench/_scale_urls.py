"""The project's URLs plus the peer: Django's default ``ModelAdmin`` for members on a second admin site.

Mounted only by ``bench admin_scale``. The peer lists the same columns with the same filters, search fields
and date hierarchy as the member register had before issue 15 (what Django does by default for that page):
exact count, ``LIKE`` search over every search field, ``OFFSET`` pages, distinct years."""

from django.contrib import admin
from django.urls import path

from membership.models import Member
from unionhub.urls import urlpatterns as project_urlpatterns

peer_site = admin.AdminSite(name="peer")


class PeerMemberAdmin(admin.ModelAdmin):
    list_display = ["card_number", "name", "resident_id", "mobile", "union", "occupation", "join_date", "status",
                    "source"]  # fmt: skip
    list_filter = ["status", "source", "occupation", "union", "join_date"]
    search_fields = ["name", "card_number", "=resident_id", "=mobile", "union__name", "employer"]
    list_select_related = ["union"]
    date_hierarchy = "join_date"
    list_per_page = 50
    change_list_template = "admin/change_list.html"  # not the register's, whose links point into our admin


peer_site.register(Member, PeerMemberAdmin)

urlpatterns = [path("peer-admin/", peer_site.urls), *project_urlpatterns]
