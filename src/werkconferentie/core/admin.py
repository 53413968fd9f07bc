from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Work conference back office")
admin.site.site_title = _("Work conference back office")
admin.site.index_title = _("Manage")
