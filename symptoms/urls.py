from django.urls import path, register_converter

from . import views
from .converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "symptoms"

urlpatterns = [
    path("", views.history, name="history"),
    path("today/", views.today, name="today"),
    path("go/", views.go_to_day, name="go_to_day"),
    path("quick-log/", views.quick_log, name="quick_log"),
    path("<isodate:date>/", views.day, name="day"),
    path("<isodate:date>/delete/", views.delete, name="delete"),
    path("<isodate:date>/send/", views.send_from_phone, name="send_from_phone"),
    path("outbox/token/", views.outbox_token, name="outbox_token"),
    path("import/", views.import_diary, name="import"),
    path("export.csv", views.export_diary, name="export"),
]
