"""The care team's small forms take their labels, names and ids from the form objects (careteam.forms)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.forms import ScheduleForm
from assessments.selectors import schedules
from careteam.forms import AppointmentForm, GrantForm, InviteForm, RedeemForm, SearchForm
from careteam.services import access_grant
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def labelled(page: str, field) -> bool:
    """The field's label, from the form, names an input with the field's name and id."""
    return (
        f'for="{field.id_for_label}">{escape(field.label)}</label>' in page
        and f'name="{field.html_name}"' in page
        and f'id="{field.id_for_label}"' in page
    )


def test_the_clinicians_list_labels_its_search_share_code_and_invitation_from_the_forms(client, clinician):
    login_with_second_factor(client, clinician)
    page = client.get(reverse("careteam:clinician_home")).text
    for field in (SearchForm()["q"], RedeemForm()["code"], InviteForm()["patient"]):
        assert labelled(page, field), field.name
    assert 'autocapitalize="characters"' in page and 'placeholder="Username or e-mail"' in page


def test_the_sharing_page_and_the_review_label_the_appointment_from_the_form(client, patient, clinician):
    client.force_login(patient)
    page = client.get(reverse("careteam:sharing")).text
    assert labelled(page, GrantForm()["clinician"])
    date, note = AppointmentForm()["date"], AppointmentForm()["note"]
    assert labelled(page, date) and date.id_for_label == "appt-date"
    assert 'for="appt-note">With whom, or a note</label>' in page and 'maxlength="500"' in page  # the patient's words
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text
    assert labelled(review, date) and labelled(review, note)
    schedule = ScheduleForm(current=schedules(patient), auto_id="schedule-%s")
    for field in schedule:  # how often each questionnaire is asked
        assert labelled(review, field) and f'<option value="{field.value()}" selected>' in review, field.name
