"""Labels that come from the process definitions (data, not tr()): names, states, actions."""

from __future__ import annotations

from shared.processes.engine import DefinitionError, process


def process_name(code: str, lang: str) -> str:
    try:
        return process(code).name.get(lang, code)
    except DefinitionError:
        return code


def state_label(code: str, state: str, lang: str) -> str:
    try:
        return process(code).state_label(state, lang)
    except DefinitionError:
        return state


def action_label(code: str, action: str, lang: str) -> str:
    try:
        for t in process(code).transitions:
            if t.action == action:
                return t.label.get(lang, action)
    except DefinitionError:
        pass
    return action
