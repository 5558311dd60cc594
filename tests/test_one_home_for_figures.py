"""Every figure patients and clinicians see comes from one module (symptoms/yardsticks.py, issue 20).

Read from the source of every app: no code outside that module decides a measure's direction by its
name ("mood"), and none rounds a shown figure with round(x, 1) (halves to even, on the binary float:
13/4 = 3.25 would read 3.2 there and 3.3 everywhere else; lib.figures.one_decimal is the one rounding).
"""

import ast

from lib.figures import one_decimal
from symptoms.yardsticks import mean_shown
from tests.test_layers import LAYERS, ROOT

HOMES = {"symptoms/yardsticks.py", "lib/figures.py"}


def app_sources():
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            name = path.relative_to(ROOT).as_posix()
            if "migrations" not in path.parts and name not in HOMES:
                yield name, ast.parse(path.read_text(), filename=name)


def is_mood(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "mood"


def test_no_code_outside_the_yardsticks_decides_direction_by_the_name_mood():
    found = []
    for name, tree in app_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(is_mood(side) for side in [node.left, *node.comparators]):
                found.append(f"{name}:{node.lineno}")
    assert found == [], "use symptoms.yardsticks.higher_is_worse / on_worse_scale"


def test_no_figure_is_rounded_to_one_decimal_by_round():
    found = []
    for name, tree in app_sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "round"
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == 1
            ):
                found.append(f"{name}:{node.lineno}")
    assert found == [], "use lib.figures.one_decimal (or symptoms.yardsticks.change_shown / mean_shown)"


def test_the_mean_of_3_3_3_4_reads_3_3_everywhere():
    assert round(13 / 4, 1) == 3.2  # what round() made of it on the treatment page
    assert mean_shown([3, 3, 3, 4]) == one_decimal(13 / 4) == 3.3
