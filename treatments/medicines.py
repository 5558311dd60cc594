"""The medicines this app knows by name, kept in the app (nothing is looked up online).

The drugs used in CRPS and in what often comes with it (sleep, mood, stomach protection, dystonia):
the suggestions offered while typing a medication's name, the class filled in when the patient
leaves "Not sure", the check that a new medication is not one already taken under another name,
and the code of a FHIR MedicationStatement.

Source of the codes: RxNorm, U.S. National Library of Medicine (NLM),
https://www.nlm.nih.gov/research/umls/rxnorm/ . Each code is the RxNorm concept unique identifier
(RXCUI) of the ingredient (term type IN), so "Gabapentin 600 mg" and "Neurontin" share gabapentin's
code. This product uses publicly available data from the NLM; the NLM does not endorse it.

How sure each code is (the list was written without network access):
- no mark: checked against published copies of RxNorm ingredient codes while writing it;
- "# recalled": recalled from RxNorm, not checked against a copy here; check these against
  RxNav (https://mor.nlm.nih.gov/RxNav/) before relying on them;
- empty code: not in RxNorm as an ingredient (e.g. not sold in the US: etoricoxib, neridronate,
  metamizole) or not known for certain (calcitonin, pamidronate, botulinum toxins...). Such
  medicines still get their class and the duplicate check; their MedicationStatement is text only.
"""

import re
from dataclasses import dataclass

from .vocabulary import DrugClass

RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"


@dataclass(frozen=True)
class Medicine:
    display: str  # the generic name as shown: "Gabapentin"
    drug_class: str  # a DrugClass value
    rxnorm: str = ""  # RXCUI of the ingredient; "" when not known for certain
    brands: tuple[str, ...] = ()  # brand and other names a patient may type: "Neurontin"
    rxnorm_name: str = ""  # RxNorm's own name when it differs from ours: "acetaminophen"

    @property
    def name(self) -> str:
        """The key: the generic name in lower case."""
        return self.display.lower()

    @property
    def rxnorm_display(self) -> str:
        return self.rxnorm_name or self.name


C = DrugClass
M = Medicine

MEDICINES: tuple[Medicine, ...] = (
    # Gabapentinoids and other anticonvulsants
    M("Gabapentin", C.ANTICONVULSANT, "25480", ("Neurontin", "Gralise")),
    M("Pregabalin", C.ANTICONVULSANT, "187832", ("Lyrica", "Alzain", "Axalid")),
    M("Carbamazepine", C.ANTICONVULSANT, "2002", ("Tegretol",)),
    M("Oxcarbazepine", C.ANTICONVULSANT, "32624", ("Trileptal",)),
    M("Lamotrigine", C.ANTICONVULSANT, "28439", ("Lamictal",)),
    M("Topiramate", C.ANTICONVULSANT, "38404", ("Topamax",)),  # recalled
    M("Levetiracetam", C.ANTICONVULSANT, "114477", ("Keppra",)),  # recalled
    M("Valproic acid", C.ANTICONVULSANT, "11118", ("Sodium valproate", "Valproate", "Depakote", "Epilim")),
    M("Clonazepam", C.ANTICONVULSANT, "2598", ("Klonopin", "Rivotril")),
    # Tricyclic antidepressants
    M("Amitriptyline", C.ANTIDEPRESSANT, "704", ("Elavil",)),
    M("Nortriptyline", C.ANTIDEPRESSANT, "7531", ("Pamelor", "Allegron")),
    M("Imipramine", C.ANTIDEPRESSANT, "5691", ("Tofranil",)),
    M("Desipramine", C.ANTIDEPRESSANT, "3247", ("Norpramin",)),
    M("Doxepin", C.ANTIDEPRESSANT, "3638", ("Sinequan",)),
    M("Clomipramine", C.ANTIDEPRESSANT, "2597", ("Anafranil",)),
    # SNRIs
    M("Duloxetine", C.ANTIDEPRESSANT, "72625", ("Cymbalta", "Yentreve")),
    M("Venlafaxine", C.ANTIDEPRESSANT, "39786", ("Effexor", "Efexor")),
    M("Desvenlafaxine", C.ANTIDEPRESSANT, "734064", ("Pristiq",)),  # recalled
    M("Milnacipran", C.ANTIDEPRESSANT, "", ("Savella",)),
    # Other antidepressants (mood, sleep)
    M("Sertraline", C.ANTIDEPRESSANT, "36437", ("Zoloft", "Lustral")),
    M("Fluoxetine", C.ANTIDEPRESSANT, "4493", ("Prozac",)),
    M("Citalopram", C.ANTIDEPRESSANT, "2556", ("Celexa", "Cipramil")),
    M("Escitalopram", C.ANTIDEPRESSANT, "321988", ("Lexapro", "Cipralex")),
    M("Paroxetine", C.ANTIDEPRESSANT, "32937", ("Paxil", "Seroxat")),
    M("Mirtazapine", C.ANTIDEPRESSANT, "15996", ("Remeron", "Zispin")),
    M("Trazodone", C.ANTIDEPRESSANT, "10737", ("Desyrel", "Molipaxin")),
    M("Bupropion", C.ANTIDEPRESSANT, "42347", ("Wellbutrin", "Zyban")),
    # NSAIDs
    M("Ibuprofen", C.NSAID, "5640", ("Advil", "Nurofen", "Brufen", "Motrin")),
    M("Naproxen", C.NSAID, "7258", ("Aleve", "Naprosyn")),
    M("Diclofenac", C.NSAID, "3355", ("Voltaren", "Voltarol", "Arthrotec")),
    M("Celecoxib", C.NSAID, "140587", ("Celebrex",)),
    M("Etoricoxib", C.NSAID, "", ("Arcoxia",)),  # not in RxNorm (not sold in the US)
    M("Meloxicam", C.NSAID, "41493", ("Mobic",)),  # recalled
    M("Ketorolac", C.NSAID, "35827", ("Toradol",)),  # recalled
    M("Indomethacin", C.NSAID, "5781", ("Indometacin", "Indocin")),  # recalled
    M("Piroxicam", C.NSAID, "8356", ("Feldene",)),  # recalled
    M("Etodolac", C.NSAID, "24605", ("Lodine",)),  # recalled
    M("Nabumetone", C.NSAID, "31448", ("Relafen",)),  # recalled
    M("Flurbiprofen", C.NSAID, "4502", ("Ansaid", "Strefen")),
    M("Aspirin", C.NSAID, "1191", ("Acetylsalicylic acid",)),
    # Paracetamol and other simple analgesics
    M("Paracetamol", C.ANALGESIC, "161", ("Acetaminophen", "Tylenol", "Panadol", "Calpol"), "acetaminophen"),
    M("Metamizole", C.ANALGESIC, "", ("Dipyrone", "Novalgin", "Nolotil")),  # not in RxNorm as IN for certain
    M("Nefopam", C.ANALGESIC, "", ("Acupan",)),  # not in RxNorm (not sold in the US)
    # Bisphosphonates
    M("Alendronate", C.BISPHOSPHONATE, "46041", ("Alendronic acid", "Fosamax")),  # recalled
    M("Risedronate", C.BISPHOSPHONATE, "73056", ("Risedronic acid", "Actonel")),  # recalled
    M("Ibandronate", C.BISPHOSPHONATE, "115264", ("Ibandronic acid", "Boniva", "Bonviva")),  # recalled
    M("Zoledronic acid", C.BISPHOSPHONATE, "77655", ("Zoledronate", "Zometa", "Reclast", "Aclasta")),  # recalled
    M("Pamidronate", C.BISPHOSPHONATE, "", ("Pamidronic acid", "Aredia")),  # code not known for certain
    M("Neridronate", C.BISPHOSPHONATE, "", ("Neridronic acid", "Nerixia")),  # not in RxNorm (not sold in the US)
    M("Clodronate", C.BISPHOSPHONATE, "", ("Clodronic acid", "Bonefos")),  # not in RxNorm for certain
    # Corticosteroids
    M("Prednisolone", C.CORTICOSTEROID, "8638", ()),  # recalled
    M("Prednisone", C.CORTICOSTEROID, "8640", ()),
    M("Methylprednisolone", C.CORTICOSTEROID, "6902", ("Medrol", "Depo-Medrol", "Solu-Medrol")),
    M("Dexamethasone", C.CORTICOSTEROID, "3264", ("Decadron",)),  # recalled
    M("Hydrocortisone", C.CORTICOSTEROID, "5492", ()),  # recalled
    M("Triamcinolone", C.CORTICOSTEROID, "10759", ("Kenalog",)),
    # Muscle relaxants
    M("Baclofen", C.MUSCLE_RELAXANT, "1292", ("Lioresal", "Lyflex")),
    M("Tizanidine", C.MUSCLE_RELAXANT, "57258", ("Zanaflex",)),  # recalled
    M("Cyclobenzaprine", C.MUSCLE_RELAXANT, "21949", ("Flexeril",)),  # recalled
    M("Methocarbamol", C.MUSCLE_RELAXANT, "6845", ("Robaxin",)),  # recalled
    M("Carisoprodol", C.MUSCLE_RELAXANT, "2101", ("Soma",)),
    M("Dantrolene", C.MUSCLE_RELAXANT, "", ("Dantrium",)),  # code not known for certain
    M("Orphenadrine", C.MUSCLE_RELAXANT, "", ("Norflex",)),  # code not known for certain
    M("Diazepam", C.MUSCLE_RELAXANT, "3322", ("Valium",)),
    # Opioids
    M("Tramadol", C.OPIOID, "10689", ("Ultram", "Zydol", "Tramal", "Zamadol")),
    M("Tapentadol", C.OPIOID, "787390", ("Nucynta", "Palexia")),  # recalled
    M("Codeine", C.OPIOID, "2670", ()),
    M("Dihydrocodeine", C.OPIOID, "", ("DF118",)),  # code not known for certain
    M("Morphine", C.OPIOID, "7052", ("MST Continus", "MS Contin", "Zomorph", "Oramorph")),
    M("Oxycodone", C.OPIOID, "7804", ("OxyContin", "OxyNorm", "Shortec")),
    M("Hydromorphone", C.OPIOID, "3423", ("Dilaudid", "Palladone")),  # recalled
    M("Hydrocodone", C.OPIOID, "5489", ("Hysingla", "Zohydro")),  # recalled
    M("Buprenorphine", C.OPIOID, "1819", ("Butrans", "Transtec", "Temgesic", "Subutex")),  # recalled
    M("Fentanyl", C.OPIOID, "4337", ("Durogesic", "Duragesic")),
    M("Methadone", C.OPIOID, "6813", ("Physeptone",)),
    M("Co-codamol", C.OPIOID, "", ("Codeine with paracetamol", "Solpadol", "Tylex")),  # a combination: no one code
    M("Co-dydramol", C.OPIOID, "", ()),  # a combination: no one code
    # NMDA antagonists
    M("Ketamine", C.NMDA_ANTAGONIST, "6130", ("Ketalar",)),  # recalled
    M("Memantine", C.NMDA_ANTAGONIST, "6719", ("Namenda", "Ebixa")),  # recalled
    M("Dextromethorphan", C.NMDA_ANTAGONIST, "3289", ()),
    M("Amantadine", C.NMDA_ANTAGONIST, "620", ("Symmetrel",)),  # recalled
    # Topical
    M("Lidocaine", C.TOPICAL, "6387", ("Lignocaine", "Versatis", "Lidoderm", "Ralvo")),
    M("Capsaicin", C.TOPICAL, "1992", ("Qutenza", "Zacin", "Axsain")),
    M("Dimethyl sulfoxide", C.TOPICAL, "", ("DMSO", "Dimethyl sulphoxide")),  # code not known for certain
    # Vitamins and supplements
    M("Vitamin C", C.VITAMIN, "1151", ("Ascorbic acid",), "ascorbic acid"),
    M("Vitamin D", C.VITAMIN, "", ("Colecalciferol", "Cholecalciferol", "Vitamin D3")),  # several forms
    M("Magnesium", C.VITAMIN, "", ("Magnesium sulfate", "Magnesium sulphate")),  # several salts; no one code
    M("Vitamin B12", C.VITAMIN, "", ("Cyanocobalamin", "Hydroxocobalamin")),  # several forms
    M("Acetylcysteine", C.VITAMIN, "197", ("N-acetylcysteine", "NAC")),  # recalled
    M("Alpha-lipoic acid", C.VITAMIN, "", ("Thioctic acid",)),  # code not known for certain
    # Calcitonin
    M("Calcitonin", C.CALCITONIN, "", ("Miacalcin", "Miacalcic", "Salcatonin")),  # code not known for certain
    # Botulinum toxin (products differ: no one ingredient code)
    M("Botulinum toxin", C.BOTULINUM_TOXIN, "", ("Botox", "Dysport", "Xeomin", "OnabotulinumtoxinA")),
    # Sleep and anxiety
    M("Zolpidem", C.SEDATIVE, "39993", ("Ambien", "Stilnoct")),
    M("Zopiclone", C.SEDATIVE, "", ("Zimovane",)),  # not in RxNorm (not sold in the US)
    M("Melatonin", C.SEDATIVE, "", ("Circadin",)),  # code not known for certain
    M("Lorazepam", C.SEDATIVE, "6470", ("Ativan",)),
    M("Alprazolam", C.SEDATIVE, "596", ("Xanax",)),
    M("Hydroxyzine", C.SEDATIVE, "5553", ("Atarax",)),
    # Other: blood flow, dystonia, stomach, low-dose naltrexone, cannabinoids
    M("Nifedipine", C.OTHER, "7417", ("Adalat",)),  # recalled
    M("Amlodipine", C.OTHER, "17767", ("Norvasc", "Istin")),
    M("Clonidine", C.OTHER, "2599", ("Catapres",)),
    M("Prazosin", C.OTHER, "8629", ("Minipress",)),  # recalled
    M("Phenoxybenzamine", C.OTHER, "", ("Dibenzyline",)),  # code not known for certain
    M("Sildenafil", C.OTHER, "136411", ("Viagra", "Revatio")),
    M("Tadalafil", C.OTHER, "358263", ("Cialis", "Adcirca")),  # recalled
    M("Propranolol", C.OTHER, "8787", ("Inderal",)),
    M("Naltrexone", C.OTHER, "7243", ("Low-dose naltrexone", "LDN")),
    M("Trihexyphenidyl", C.OTHER, "10811", ("Benzhexol", "Artane")),  # recalled
    M("Tetrabenazine", C.OTHER, "10390", ("Xenazine",)),
    M("Omeprazole", C.OTHER, "7646", ("Prilosec", "Losec")),
    M("Lansoprazole", C.OTHER, "17128", ("Prevacid", "Zoton")),
    M("Pantoprazole", C.OTHER, "40790", ("Protonix",)),
    M("Esomeprazole", C.OTHER, "283742", ("Nexium",)),
    M("Ondansetron", C.OTHER, "26225", ("Zofran",)),
    M("Metoclopramide", C.OTHER, "6915", ("Maxolon", "Reglan")),
    M("Cannabidiol", C.OTHER, "", ("CBD", "Epidiolex")),  # code not known for certain
    M("Nabiximols", C.OTHER, "", ("Sativex",)),  # not in RxNorm (not sold in the US)
    M("Immunoglobulin", C.OTHER, "", ("IVIG", "Immune globulin")),  # many products; no one code
)

# Words for the form or release of a medicine that may follow its name: "Lidocaine 5% plaster", "Tramadol SR".
_FORM_WORDS = frozenset(
    (
        *("tablet", "tablets", "tab", "tabs", "capsule", "capsules", "caps", "patch", "patches", "plaster"),
        *("plasters", "cream", "gel", "ointment", "spray", "drops", "liquid", "solution", "suspension"),
        *("injection", "infusion", "iv", "oral", "topical", "sr", "mr", "xl", "er", "cr", "la", "prolonged"),
        *("modified", "slow", "release", "retard"),
    )
)
_STRENGTH = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


def _words(name: str) -> list[str]:
    """The words of a name in lower case, up to the first that starts with a number (its strength)."""
    words = []
    for word in _SPACES.split(name.lower().strip()):
        if not word or _STRENGTH.match(word):
            break
        words.append(word)
    return words


def plain_name(name: str) -> str:
    """The name in lower case without its strength: "Gabapentin 600 mg" -> "gabapentin"."""
    return " ".join(_words(name))


def _index() -> dict[str, Medicine]:
    index: dict[str, Medicine] = {}
    for medicine in MEDICINES:
        for alias in (medicine.display, *medicine.brands):
            key = plain_name(alias)
            if index.setdefault(key, medicine) is not medicine:
                raise ValueError(f"{alias!r} names two medicines in the list")
    return index


_INDEX = _index()  # built once, at import


def find_medicine(name: str) -> Medicine | None:
    """The medicine on the list that `name` names (generic or brand name, any case), or None.

    A trailing strength and form are ignored: "Gabapentin 600 mg", "gabapentin", "Neurontin" and
    "Lidocaine 5% plaster" are all found; so is "Lyrica (pregabalin)".
    """
    name = name.strip()
    if "(" in name:
        outside, _, inside = name.partition("(")
        return find_medicine(outside) or find_medicine(inside.split(")")[0])
    words = _words(name)
    while words:
        found = _INDEX.get(" ".join(words))
        if found is not None:
            return found
        if words[-1] not in _FORM_WORDS:
            return None
        words.pop()
    return None


def medicine_key(name: str) -> str:
    """What two names must share to be the same medicine: the generic name when the list knows
    the medicine, else the name in lower case without its strength ("Herbal tea 2 cups" -> "herbal tea")."""
    medicine = find_medicine(name)
    return medicine.name if medicine else (plain_name(name) or name.strip().lower())


def class_for(name: str) -> str:
    """The class of the named medicine from the list ("" when the list does not know it)."""
    medicine = find_medicine(name)
    return medicine.drug_class if medicine else ""
