from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("help-now/", views.crisis, name="crisis"),
    path("<slug:code>/", views.answer, name="answer"),
    path("<slug:code>/skip/", views.skip, name="skip"),
    path("patients/<int:patient_id>/examination/", views.examination, name="examination"),
    path("patients/<int:patient_id>/budapest/", views.checklist, name="budapest"),
    path("patients/<int:patient_id>/schedule/", views.clinician_schedule, name="schedule"),
    path("patients/<int:patient_id>/alerts/<int:pk>/acknowledge/", views.acknowledge_alert, name="acknowledge_alert"),
]
