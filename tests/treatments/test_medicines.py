"""The bundled medication list (treatments.medicines): pure look-ups, no database."""

import pytest

from treatments.forms import MedicineNameInput
from treatments.medicines import MEDICINES, RXNORM_SYSTEM, class_for, find_medicine, medicine_key
from treatments.vocabulary import DrugClass


def test_the_list_has_at_least_80_medicines_with_unique_names_valid_classes_and_numeric_codes():
    assert len(MEDICINES) >= 80
    names = [m.name for m in MEDICINES]
    assert len(set(names)) == len(names)
    assert all(m.name == m.display.lower() and m.display[0].isupper() for m in MEDICINES)
    assert {m.drug_class for m in MEDICINES} <= set(DrugClass.values)
    assert all(m.rxnorm == "" or m.rxnorm.isdigit() for m in MEDICINES)
    codes = [m.rxnorm for m in MEDICINES if m.rxnorm]
    assert len(set(codes)) == len(codes)  # one ingredient, one entry
    assert len(codes) >= 80


def test_the_list_covers_the_drugs_used_in_crps():
    for name in (
        "gabapentin",
        "pregabalin",
        "amitriptyline",
        "nortriptyline",
        "duloxetine",
        "ibuprofen",
        "naproxen",
        "paracetamol",
        "alendronate",
        "zoledronic acid",
        "neridronate",
        "prednisolone",
        "baclofen",
        "tizanidine",
        "tramadol",
        "oxycodone",
        "ketamine",
        "lidocaine",
        "capsaicin",
        "vitamin c",
        "calcitonin",
        "botulinum toxin",
    ):
        assert find_medicine(name) is not None, name


def test_codes_checked_against_rxnorm():
    """A few ingredient codes as RxNorm has them (RXCUI, term type IN)."""
    assert find_medicine("gabapentin").rxnorm == "25480"
    assert find_medicine("pregabalin").rxnorm == "187832"
    assert find_medicine("amitriptyline").rxnorm == "704"
    assert find_medicine("baclofen").rxnorm == "1292"
    paracetamol = find_medicine("paracetamol")
    assert (paracetamol.rxnorm, paracetamol.rxnorm_display) == ("161", "acetaminophen")
    assert find_medicine("Vitamin C").rxnorm_display == "ascorbic acid"
    assert find_medicine("Calcitonin").rxnorm == ""  # not known for certain: left empty, not guessed
    assert RXNORM_SYSTEM == "http://www.nlm.nih.gov/research/umls/rxnorm"


@pytest.mark.parametrize(
    ("typed", "generic"),
    [
        ("gabapentin", "gabapentin"),
        ("Gabapentin 600 mg", "gabapentin"),
        ("GABAPENTIN 600MG", "gabapentin"),
        ("  gabapentin  300 mg three times a day", "gabapentin"),
        ("Neurontin", "gabapentin"),
        ("neurontin 300mg", "gabapentin"),
        ("Lyrica", "pregabalin"),
        ("Lyrica (pregabalin)", "pregabalin"),
        ("Pregabalin (Lyrica) 75 mg", "pregabalin"),
        ("Cymbalta", "duloxetine"),
        ("Botox", "botulinum toxin"),
        ("Lidocaine 5% plaster", "lidocaine"),
        ("Versatis", "lidocaine"),
        ("Tramadol SR 50 mg", "tramadol"),
        ("Diclofenac gel", "diclofenac"),
        ("Acetaminophen", "paracetamol"),
        ("Vitamin C 1000 mg", "vitamin c"),
        ("vitamin D3", "vitamin d"),
        ("Zoledronic acid 5 mg", "zoledronic acid"),
        ("Sodium valproate", "valproic acid"),
    ],
)
def test_find_medicine_by_generic_or_brand_name_ignoring_case_strength_and_form(typed, generic):
    assert find_medicine(typed).name == generic


@pytest.mark.parametrize("typed", ["", "   ", "600 mg", "Herbal tea", "Gaba", "gabapentinoid", "gel", "Vitamin"])
def test_find_medicine_does_not_guess(typed):
    assert find_medicine(typed) is None


def test_medicine_key_is_the_generic_name_or_the_plain_typed_name():
    assert medicine_key("Gabapentin 600 mg") == medicine_key("Neurontin") == "gabapentin"
    assert medicine_key("Herbal tea 2 cups") == medicine_key("herbal TEA") == "herbal tea"
    assert medicine_key("Herbal tea") != medicine_key("Green tea")


def test_class_for_a_known_and_an_unknown_medicine():
    assert class_for("Neurontin 300 mg") == DrugClass.ANTICONVULSANT
    assert class_for("Ketamine") == DrugClass.NMDA_ANTAGONIST
    assert class_for("Vitamin C") == DrugClass.VITAMIN
    assert class_for("Herbal tea") == ""


def test_the_name_input_offers_the_list_as_a_datalist():
    html = MedicineNameInput().render("name", "Gaba")
    assert 'list="medicine-names"' in html and 'value="Gaba"' in html
    assert '<datalist id="medicine-names">' in html
    assert html.count("<option ") == len(MEDICINES)
    assert '<option value="Pregabalin">Lyrica, Alzain, Axalid</option>' in html
    assert "<script" not in html
