from django import template

from flags.selectors import now_sentence as _now_sentence

register = template.Library()


@register.filter
def now_sentence(now, own=False) -> str:
    """{{ flag.now|now_sentence:own }}: flags.selectors.now_sentence."""
    return _now_sentence(now, own=bool(own)) if now else ""


@register.simple_tag
def detection_setting_of(patient):
    """{% detection_setting_of subject as setting %}: flags.selectors.detection_setting (one query)."""
    from flags.selectors import detection_setting

    return detection_setting(patient)


@register.simple_tag
def sensitivity_levels():
    """{% sensitivity_levels as levels %}: flags.selectors.LEVELS, the settings in words."""
    from flags.selectors import LEVELS

    return LEVELS


@register.simple_tag
def sensitivity_form(setting, refused=None):
    """{% sensitivity_form setting form as sform %}: the refused form as typed, or one holding the current setting."""
    from flags.forms import SensitivityForm

    return refused or SensitivityForm(initial={"level": setting.level.value, "reason": setting.reason})
