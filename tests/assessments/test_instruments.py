"""The instruments' scoring, bands and rules against worked examples from their papers."""

import pytest

from assessments.instruments import (
    BUDAPEST,
    CSS_SIGNS,
    CSS_SYMPTOMS,
    GAD7,
    INSTRUMENTS,
    PEG,
    PHQ9,
    budapest,
    css_change_words,
    css_total,
    needs_safety_path,
    peg_change_words,
)


def answers(instrument, *values):
    return dict(zip([i.key for i in instrument.items], values, strict=True))


def test_the_css_has_8_symptoms_and_9_signs_in_the_four_budapest_categories():
    assert len(CSS_SYMPTOMS.items) == 8 and len(CSS_SIGNS.items) == 9
    categories = {i.category for i in (*CSS_SYMPTOMS.items, *CSS_SIGNS.items)}
    assert categories == {"Sensory", "Vasomotor", "Sudomotor / oedema", "Motor / trophic"}
    assert css_total(answers(CSS_SYMPTOMS, *[1] * 8), answers(CSS_SIGNS, *[1] * 9)) == 17
    assert css_total(answers(CSS_SYMPTOMS, 1, 1, 0, 0, 1, 0, 1, 0), answers(CSS_SIGNS, 1, 0, 1, 0, 0, 0, 0, 1, 0)) == 7


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (6, "up 6 since 3 Jun 2026: a real change"),
        (-5, "down 5 since 3 Jun 2026: a real change"),
        (4, "up 4 since 3 Jun 2026: within 4.9 points: not a real change"),
        (0, "no change since 3 Jun 2026"),
    ],
)
def test_the_css_real_change_is_4_point_9_points_harden_2017(change, words):
    assert css_change_words(change, "3 Jun 2026") == words


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_kroenke_2001(score, band):
    assert PHQ9.band(score) == band


@pytest.mark.parametrize(
    ("score", "band"), [(4, "minimal"), (5, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe"), (21, "severe")]
)
def test_gad7_bands_spitzer_2006(score, band):
    assert GAD7.band(score) == band


def test_phq9_and_gad7_scores_are_sums_of_0_to_3_answers():
    assert PHQ9.score(answers(PHQ9, 1, 1, 2, 2, 1, 0, 1, 0, 0)) == 8
    assert PHQ9.score(answers(PHQ9, *[3] * 9)) == PHQ9.score_max == 27
    assert GAD7.score(answers(GAD7, 2, 2, 2, 2, 2, 2, 2)) == 14
    assert GAD7.score(answers(GAD7, *[3] * 7)) == GAD7.score_max == 21


def test_the_peg_is_the_mean_of_its_three_items_shown_as_every_page_shows_a_mean():
    assert PEG.score(answers(PEG, 7, 6, 5)) == 6.0
    assert PEG.score(answers(PEG, 3, 3, 4)) == 3.3  # 10/3, one decimal as lib.figures.one_decimal
    assert PEG.score(answers(PEG, 10, 10, 10)) == 10


@pytest.mark.parametrize(
    ("before", "now", "words"),
    [
        (6.0, 4.0, "down 33 % (clinically important)"),
        (6.0, 5.0, "down 17 % (not clinically important)"),
        (5.0, 6.5, "up 30 % (clinically important)"),
        (5.0, 5.0, "level 0 % (not clinically important)"),
    ],
)
def test_a_30_percent_peg_change_is_clinically_important_krebs_2009(before, now, words):
    assert peg_change_words(before, now) == words


def test_budapest_clinical_criteria_need_pain_3_symptom_categories_2_sign_categories_and_nothing_better():
    met = budapest(answers(BUDAPEST, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1))
    assert met.met and met.symptom_categories == ("Sensory", "Vasomotor", "Sudomotor / oedema")
    assert met.sign_categories == ("Sensory", "Sudomotor / oedema")
    assert met.summary.startswith(
        "Budapest clinical criteria met: continuing disproportionate pain yes; symptoms in 3 of 4"
    )
    assert not budapest(answers(BUDAPEST, 1, 1, 1, 1, 0, 1, 0, 0, 0, 1)).met  # signs in 1 category
    assert not budapest(answers(BUDAPEST, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1)).met  # symptoms in 2
    assert not budapest(answers(BUDAPEST, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)).met  # a better explanation
    assert not budapest(answers(BUDAPEST, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1)).met  # no disproportionate pain


def test_only_a_phq9_self_harm_answer_above_not_at_all_opens_the_safety_path():
    assert needs_safety_path("phq9", answers(PHQ9, 0, 0, 0, 0, 0, 0, 0, 0, 1))
    assert not needs_safety_path("phq9", answers(PHQ9, 3, 3, 3, 3, 3, 3, 3, 3, 0))
    assert not needs_safety_path("gad7", {"self_harm": 3})


def test_every_instrument_cites_its_source_and_every_item_has_answers():
    for instrument in INSTRUMENTS.values():
        assert (
            "Pain" in instrument.source
            or "J Gen Intern Med" in instrument.source
            or "Arch Intern Med" in instrument.source
        )
        assert all(item.choices for item in instrument.items)
    assert (PHQ9.loinc_panel, PHQ9.loinc_total, GAD7.loinc_panel, GAD7.loinc_total) == (
        "44249-1",
        "44261-6",
        "69737-5",
        "70274-6",
    )
