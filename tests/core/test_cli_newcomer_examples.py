"""`genoview COMMAND --help` ends with examples a newcomer can copy (each parses as written), the usage line shows
the genome given first (`genoview info GENOME`), and a missing genome is named that way."""
from __future__ import annotations

import shlex

import pytest

from genoview.cli import COMMANDS, EXAMPLES, FIRST_ARGUMENT, build_parser, genome_as_fasta
from genoview.cli import main as cli_main


def test_every_command_has_examples_that_parse():
    parser = build_parser()
    assert set(EXAMPLES) == set(COMMANDS)
    for command, examples in EXAMPLES.items():
        for line, what in examples:
            words = shlex.split(line)[1:]
            if words[0] not in COMMANDS:
                words = ["gui", *words]   # plain `genoview genome.fa` opens the window
            args = parser.parse_args(genome_as_fasta(words))
            assert args.command == command and what, line


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_the_examples_as_written(command, capsys):
    with pytest.raises(SystemExit):
        cli_main([command, "--help"])
    out = capsys.readouterr().out
    assert "\nExamples:\n" in out
    for line, what in EXAMPLES[command]:
        assert f"  {line}\n      # {what}" in out   # not re-wrapped into a paragraph
    if command in FIRST_ARGUMENT:
        assert "(the first file may come without" in out
        assert ("GENOME" if FIRST_ARGUMENT[command] == "--fasta" else "PAIRS.csv") in out.split("\n\n")[0]


def test_missing_genome_is_named_as_the_usage_shows_it(capsys):
    with pytest.raises(SystemExit):
        cli_main(["predict"])
    assert "required: GENOME (the genome file, first or after --fasta)" in capsys.readouterr().err
    assert cli_main(["info"]) == 2   # info also reads an annotation alone (--gff FILE): it names both
    assert "genoview info GENOME" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["score-pairs"])
    assert "PAIRS.csv (the pair file, first or after --pairs)" in capsys.readouterr().err


def test_evaluate_help_names_no_path_of_the_developers():
    assert "../shared" not in build_parser()._subparsers._group_actions[0].choices["evaluate"].format_help()
