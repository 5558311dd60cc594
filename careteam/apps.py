from django.apps import AppConfig


class CareteamConfig(AppConfig):
    name = "careteam"
    verbose_name = "Care team: consent, access log, appointments"

    def ready(self) -> None:
        # The one access check (accounts.access) asks this app whether a clinician may see a patient, and
        # writes each clinician's view to the patient's log through it.
        from accounts import access

        from .selectors import can_see
        from .services import log

        access.care_team.can_see = can_see
        access.care_team.log = log

        # The questionnaires' safety path and their "before an appointment" reach the care team through
        # hooks this app connects: assessments never imports careteam.
        from assessments import selectors as assessment_selectors
        from assessments.services import safety_concern

        from .receivers import next_appointment, tell_care_team_of_safety_alert

        safety_concern.connect(tell_care_team_of_safety_alert, dispatch_uid="careteam-safety-alert")
        if next_appointment not in assessment_selectors.next_appointment_readers:
            assessment_selectors.next_appointment_readers.append(next_appointment)
