from django.urls import path

from . import views

app_name = "flags"

urlpatterns = [
    path("", views.flag_list, name="list"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("patients/<int:patient_id>/sensitivity/", views.sensitivity, name="sensitivity"),
]
