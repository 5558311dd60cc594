from django.urls import path

from flags import views as flag_views

from . import views

app_name = "careteam"

urlpatterns = [
    # The patient's side
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/grant/", views.grant, name="grant"),
    path("sharing/code/", views.create_code, name="create_code"),
    path("sharing/codes/<int:pk>/cancel/", views.cancel_code, name="cancel_code"),
    path("sharing/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("sharing/<int:pk>/accept/", views.accept, name="accept"),
    # The clinician's side
    path("clinician/", views.clinician_home, name="clinician_home"),
    path("clinician/redeem/", views.redeem, name="redeem"),
    path("clinician/invite/", views.invite, name="invite"),
    path("clinician/patients/<int:patient_id>/", views.patient_review, name="patient"),
    path("patients/<int:patient_id>/fhir.json", views.fhir_export, name="fhir"),
    path("patients/<int:patient_id>/report/", views.report, name="report"),
    path("patients/<int:patient_id>/appointments/", views.add_appointment, name="add_appointment"),
    path(
        "patients/<int:patient_id>/appointments/<int:pk>/delete/",
        views.delete_appointment,
        name="delete_appointment",
    ),
    path(
        "clinician/patients/<int:patient_id>/flags/<int:pk>/acknowledge/",
        flag_views.acknowledge_for_care_team,
        name="acknowledge_flag",
    ),
]
