"""Every option of every `genoview` command says what it does in `--help` (`adapt --seed` printed a bare
"--seed SEED")."""
from __future__ import annotations

import argparse

from genoview.cli import build_parser


def test_every_option_of_every_command_has_help_text():
    commands = build_parser()._subparsers._group_actions[0].choices
    bare = []
    for name, parser in commands.items():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
                continue
            if not (action.help or "").strip():
                bare.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert not bare, "options without help text: " + ", ".join(sorted(set(bare)))
