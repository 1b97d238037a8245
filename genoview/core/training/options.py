"""Typed model options: every architecture setting with its type, default, range or choices and help.

An architecture's training module declares its table (a tuple of :class:`ModelOption`) and registers it
with :func:`register_options` under the architecture's name. The CLI's ``--model-option KEY=VALUE`` and a
spec's ``model.options`` are checked against it (:func:`check_options`), so a misspelt key or a value
of the wrong type or out of range is refused with what is allowed; the training wizard renders the same
table as a form (:func:`options_schema`).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from genoview.core.errors import GenoViewInputError

TYPES = ("int", "float", "bool", "str", "list[int]")

_TABLES: dict[str, tuple["ModelOption", ...]] = {}


@dataclass(frozen=True)
class ModelOption:
    """One setting of an architecture. ``default=None`` means "decided by the run" (the help says how);
    ``recipes``: the values of the table's ``recipe`` option under which it applies (None: every recipe);
    ``init``: True if it applies only to a fine-tune (a parent model, ``--init``), False only from scratch, None both.
    An option of a recipe (``recipes``) applies only where the ``recipe`` option does."""

    name: str
    type: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple | None = None
    recipes: tuple[str, ...] | None = None
    init: bool | None = None

    def allowed(self) -> str:
        """What values are allowed, in words (for messages and help)."""
        if self.choices:
            return "one of " + ", ".join(json.dumps(c) for c in self.choices)
        word = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "text",
                "list[int]": "a list of whole numbers such as [1,3,9]"}[self.type]
        if self.minimum is not None and self.maximum is not None:
            return f"{word} from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"{word} >= {self.minimum}"
        return word

    def check(self, value: Any, architecture: str) -> Any:
        """The value, if it has this option's type and lies in its range/choices; else an input error."""
        def refuse() -> None:
            raise GenoViewInputError(f"{architecture} option {self.name}={json.dumps(value, default=str)} is not "
                                     f"allowed; {self.name} takes {self.allowed()} ({self.help})")

        if value is None:
            if self.default is None:
                return None
            refuse()
        if self.type == "int":
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool):
                refuse()
        elif self.type == "float":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                refuse()
            value = float(value)
        elif self.type == "bool":
            if not isinstance(value, bool):
                refuse()
        elif self.type == "str":
            if not isinstance(value, str):
                refuse()
        elif self.type == "list[int]":
            if not isinstance(value, (list, tuple)) or not value or not all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value):
                refuse()
            value = list(value)
        if self.choices and value not in self.choices:
            refuse()
        numbers = value if isinstance(value, list) else [value]
        if self.type in ("int", "float", "list[int]"):
            if any((self.minimum is not None and v < self.minimum) or (self.maximum is not None and v > self.maximum)
                   for v in numbers):
                refuse()
        return value


def register_options(architecture: str, table: tuple[ModelOption, ...]) -> None:
    _TABLES[architecture] = tuple(table)


def option_table(architecture: str) -> tuple[ModelOption, ...]:
    """The declared options of an architecture (imports its training module unless a light module registered them:
    GeneCNN's shape.py, which the wizard's Data page reads without torch)."""
    if architecture not in _TABLES:
        from genoview.core.training.architectures import get_architecture

        get_architecture(architecture)
    return _TABLES.get(architecture, ())


def parse_option_text(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` from the command line -> (key, value); VALUE is JSON where it parses, else text."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise GenoViewInputError(f"--model-option {text!r} must look like KEY=VALUE, e.g. hidden_size=48")
    raw = raw.strip()
    try:
        return key, json.loads(raw)
    except json.JSONDecodeError:
        lowered = raw.lower()
        if lowered in ("true", "yes", "on"):
            return key, True
        if lowered in ("false", "no", "off"):
            return key, False
        return key, raw


def applies_with(option: ModelOption, table: dict[str, ModelOption]) -> bool | None:
    """``option.init`` of an option, or of the ``recipe`` option for an option of a recipe (None: both ways)."""
    if option.init is None and option.recipes and "recipe" in table:
        return table["recipe"].init
    return option.init


def check_options(architecture: str, values: dict[str, Any], *, init: str | bool | None = None) -> dict[str, Any]:
    """``values`` checked against the architecture's table: unknown keys and ill-typed values are input errors.

    Returns the values given (typed: 3 for an int option given 3.0), not the defaults; an architecture
    without a table accepts anything. ``init``: the parent model of a fine-tune (``--init``), False/"" for a run
    from scratch, None when not known (then options of one way only are not checked). An option of the other way,
    or of another recipe, given at a value other than its default is refused naming both: it would be ignored.
    """
    table = {option.name: option for option in option_table(architecture)}
    if not table:
        return dict(values)
    unknown = sorted(set(values) - set(table))
    if unknown:
        raise GenoViewInputError(f"unknown {architecture} option(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(sorted(table))} (genoview train --architecture {architecture} "
                                 "--list-options shows each with its range)")
    checked = {name: table[name].check(value, architecture) for name, value in values.items()}
    # given at its default, an option that does not apply changes nothing: accepted, as the refusals below offer
    changed = [name for name, value in checked.items() if value != table[name].default]
    if init is not None:   # a fine-tune's option from scratch, or a from-scratch one in a fine-tune, would be ignored
        for name in changed:
            way = applies_with(table[name], table)
            if way is True and not init:
                raise GenoViewInputError(
                    f"{architecture} option {name} applies only to a fine-tune (a model to start from: --init, a "
                    f"spec's model.init, the wizard's Model page), and this run trains from scratch: drop {name} (or "
                    f"give it its default, {json.dumps(table[name].default)}), or start from a model (--init)")
            if way is False and init:
                raise GenoViewInputError(
                    f"{architecture} option {name} applies only to training from scratch: a fine-tune keeps the "
                    f"shape of {init if isinstance(init, str) else 'its parent'}; drop {name} (or give it its "
                    f"default, {json.dumps(table[name].default)}), or train from scratch without --init")
    if "recipe" in table:   # an option of another recipe would be ignored silently: refused, naming its recipe
        recipe = checked.get("recipe", table["recipe"].default)
        for name in changed:
            only = table[name].recipes
            if only and recipe not in only:
                given = "" if "recipe" in checked else " (the default)"
                raise GenoViewInputError(
                    f"{architecture} option {name} applies only under recipe {' or '.join(map(repr, only))}, and "
                    f"this run's recipe is {recipe!r}{given}: drop {name} (or give it its default, "
                    f"{json.dumps(table[name].default)}), or set recipe={only[-1]}")
    return checked


def with_defaults(architecture: str, values: dict[str, Any]) -> dict[str, Any]:
    """Every option of the table: the checked ``values`` over the declared defaults."""
    checked = check_options(architecture, values)
    return {**{o.name: o.default for o in option_table(architecture)}, **checked}


def options_schema(architecture: str) -> list[dict[str, Any]]:
    """The table as JSON-ready rows (name, type, default, min, max, choices, help, init: ``applies_with``) for a
    form."""
    table = {o.name: o for o in option_table(architecture)}
    return [{"name": o.name, "type": o.type, "default": o.default, "min": o.minimum, "max": o.maximum,
             "choices": list(o.choices) if o.choices else None, "help": o.help, "init": applies_with(o, table)}
            for o in table.values()]


def describe_options(architecture: str) -> str:
    """The table as text for `genoview train --list-options`."""
    lines = [f"{architecture} model options (--model-option KEY=VALUE):"]
    for o in option_table(architecture):
        default = "decided by the run" if o.default is None else json.dumps(o.default)
        only = f"; recipe {' or '.join(o.recipes)} only" if o.recipes else ""
        way = {True: "; fine-tune (--init) only", False: "; from scratch only"}.get(o.init, "")
        lines.append(f"  {o.name} ({o.allowed()}; default {default}{way}{only})")
        lines.append(f"      {o.help}")
    return "\n".join(lines)
