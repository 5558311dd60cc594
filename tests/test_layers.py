"""The apps' layers, bottom to top: an app imports only the apps below it.

lib -> accounts -> symptoms -> treatments -> assessments -> reminders -> flags -> dashboard -> careteam -> demo

Read from the source (every import, also those inside functions), so a deferred import cannot hide an upward
one. There are no exemptions (issue 20): an upper app reaches down with a signal or a hook the lower app owns
(careteam/apps.py connects assessments' safety signal and its next-appointment reader; treatments/apps.py
registers the medicines taken on the diary's day page, symptoms.day_parts).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = (
    "lib",
    "accounts",
    "symptoms",
    "treatments",
    "assessments",
    "reminders",
    "flags",
    "dashboard",
    "careteam",
    "demo",
)
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in RANK and RANK[top] > RANK[app]:
                        found.add((path.relative_to(ROOT).as_posix(), top))
    return found


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == set(), "imports that go up a layer"


def test_every_app_of_the_project_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"lib"}
    assert apps == set(LAYERS)
