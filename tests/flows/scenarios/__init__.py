"""The conversation scenarios (framework.py: how they are written and played); every module here lists SCENARIOS."""

from __future__ import annotations

import importlib
import pkgutil

from tests.flows.scenarios.framework import Scenario


def all_scenarios() -> list[Scenario]:
    found: list[Scenario] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name != "framework":
            found += importlib.import_module(f"{__name__}.{module.name}").SCENARIOS
    names = [s.name for s in found]
    assert len(names) == len(set(names)), "scenario names must be unique"
    return found
