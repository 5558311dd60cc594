from django.db import models


class DrugClass(models.TextChoices):
    NSAID = "nsaid", "NSAID"
    MUSCLE_RELAXANT = "muscle_relaxant", "Muscle relaxant"
    ANTICONVULSANT = "anticonvulsant", "Anticonvulsant / gabapentinoid"
    ANTIDEPRESSANT = "antidepressant", "Antidepressant (tricyclic, SNRI, SSRI)"
    OPIOID = "opioid", "Opioid"
    CORTICOSTEROID = "corticosteroid", "Corticosteroid"
    BISPHOSPHONATE = "bisphosphonate", "Bisphosphonate"
    TOPICAL = "topical", "Topical"
    BOTULINUM_TOXIN = "botulinum_toxin", "Botulinum toxin"
    ANALGESIC = "analgesic", "Paracetamol / simple analgesic"
    NMDA_ANTAGONIST = "nmda_antagonist", "NMDA antagonist (e.g. ketamine)"
    CALCITONIN = "calcitonin", "Calcitonin"
    SEDATIVE = "sedative", "Sleep or anxiety medicine"
    VITAMIN = "vitamin", "Vitamin / supplement"
    OTHER = "other", "Other"


class DoseUnit(models.TextChoices):
    MG = "mg", "mg"
    MCG = "mcg", "micrograms"
    G = "g", "g"
    ML = "ml", "ml"
    UNITS = "units", "units"
    PATCH = "patch", "patch(es)"
    APPLICATION = "application", "application(s)"
    TABLET = "tablet", "tablet(s)"


class Frequency(models.TextChoices):
    ONCE_DAILY = "once_daily", "once a day"
    TWICE_DAILY = "twice_daily", "twice a day"
    THREE_DAILY = "three_daily", "three times a day"
    FOUR_DAILY = "four_daily", "four times a day"
    AT_NIGHT = "at_night", "at night"
    AS_NEEDED = "as_needed", "as needed"
    WEEKLY = "weekly", "once a week"
    MONTHLY = "monthly", "once a month"
    OTHER = "other", "other"


class StopReason(models.TextChoices):
    SIDE_EFFECTS = "side_effects", "Side effects"
    NO_EFFECT = "no_effect", "No effect"
    IMPROVED = "improved", "Improved, no longer needed"
    COST = "cost", "Cost"
    OTHER = "other", "Other"


class TherapyCategory(models.TextChoices):
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    OCCUPATIONAL = "occupational", "Occupational therapy"
    PSYCHOLOGICAL = "psychological", "Psychological therapy"
    COMPLEMENTARY = "complementary", "Complementary therapy"


class TherapyModality(models.TextChoices):
    # Physiotherapy
    STRETCHING = "stretching", "Stretching"
    STRENGTHENING = "strengthening", "Strengthening"
    RANGE_OF_MOTION = "range_of_motion", "Range of motion"
    MANUAL_THERAPY = "manual_therapy", "Manual therapy"
    HEAT_COLD = "heat_cold", "Heat / cold"
    MIRROR_THERAPY = "mirror_therapy", "Mirror therapy"
    GRADED_MOTOR_IMAGERY = "graded_motor_imagery", "Graded motor imagery"
    # Occupational / psychological
    HAND_THERAPY = "hand_therapy", "Hand therapy / splinting"
    CBT = "cbt", "Cognitive behavioural therapy"
    PAIN_MANAGEMENT_PROGRAMME = "pain_management_programme", "Pain management programme"
    # Complementary
    ACUPUNCTURE = "acupuncture", "Acupuncture"
    MASSAGE = "massage", "Massage"
    MBSR = "mbsr", "Mindfulness-based stress reduction"
    OTHER = "other", "Other"


class ProcedureKind(models.TextChoices):
    NERVE_BLOCK = "nerve_block", "Nerve block"
    BOTULINUM_TOXIN = "botulinum_toxin", "Botulinum toxin injection"
    OTHER_INJECTION = "other_injection", "Other injection"


class NerveBlockType(models.TextChoices):
    STELLATE_GANGLION = "stellate_ganglion", "Stellate ganglion"
    LUMBAR_SYMPATHETIC = "lumbar_sympathetic", "Lumbar sympathetic"
    PERIPHERAL_NERVE = "peripheral_nerve", "Peripheral nerve"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


class DeviceType(models.TextChoices):
    SPINAL_CORD = "spinal_cord", "Spinal cord stimulator"
    DORSAL_ROOT_GANGLION = "dorsal_root_ganglion", "Dorsal root ganglion stimulator"
    PERIPHERAL_NERVE = "peripheral_nerve", "Peripheral nerve stimulator"


class DeviceStage(models.TextChoices):
    TRIAL = "trial", "Trial"
    PERMANENT = "permanent", "Permanent implant"


class DiagnosticKind(models.TextChoices):
    XRAY = "xray", "X-ray"
    MRI = "mri", "MRI"
    BONE_SCAN = "bone_scan", "Bone scan"
    EMG = "emg", "Electromyography (EMG)"
    BLOOD = "blood", "Blood tests"
    OTHER = "other", "Other test"
