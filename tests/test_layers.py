"""The apps' layers, bottom to top: an app imports only the apps below it.

lib -> accounts -> symptoms -> treatments -> assessments -> reminders -> flags -> dashboard -> careteam -> demo

Read from the source (every import, also those inside functions), so a deferred import cannot hide an upward
one. The imports that still go up are listed in STILL_UP, each with where it is and how it will come down
(issue 20); the test fails for any other upward import, and for an entry of STILL_UP that has gone, so
the list only shrinks. An upper app reaches down with a signal or a hook it owns (careteam/apps.py
connects assessments' safety signal and its next-appointment reader).
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

# (importing file, imported app): how it comes down.
STILL_UP = {
    ("symptoms/views.py", "treatments"): "the diary page's adherence: a hook treatments fills in",
}


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


def test_no_app_imports_an_app_above_it_but_those_still_listed():
    found = upward_imports()
    assert found - STILL_UP.keys() == set(), "new imports that go up a layer"
    assert STILL_UP.keys() - found == set(), "gone: take them off STILL_UP"


def test_every_app_of_the_project_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"lib"}
    assert apps == set(LAYERS)
