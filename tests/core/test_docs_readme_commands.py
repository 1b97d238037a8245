"""What README.md tells a user to type exists: every `genoview COMMAND --option` it shows is an option of that command,
every `--option` it names belongs to some command, every `bench/X.py --flag` is a flag of that script, every
repository path it names is there, and every link (#anchor, DEVELOPERS.md#anchor, a model card) lands. Fast: the
parser is built once, nothing runs, no data needed."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from genoview.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = [README, ROOT / "DEVELOPERS.md"]

# a wrong option the README quotes on purpose, to say what GenoView answers to it
REFUSED_ON_PURPOSE = ("predict --gff FILE",)
# options of other programs that README lines carry before `genoview` or in their own commands
OTHER_PROGRAMS = {"--nproc_per_node", "--no-python", "--noconfirm", "--distpath", "--workpath", "--help",
                  "--version", "--strict"}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def options_by_command() -> dict[str, set[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {name: {o for a in p._actions for o in a.option_strings} for name, p in sub.choices.items()}


def _code_spans(text: str) -> list[str]:
    """Fenced code lines and inline `code` spans (a span may wrap over one line break)."""
    spans, fenced = [], re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
    for block in fenced:
        spans += [line for line in block.splitlines() if line.strip()]
    prose = re.sub(r"```[^\n]*\n.*?```", "", text, flags=re.S)
    spans += [s.replace("\n", " ") for s in re.findall(r"`([^`]+)`", prose)]
    return spans


def _genoview_commands(text: str) -> list[tuple[str, list[str], str]]:
    """(command, words after it, the span) for each `genoview ...` the text shows."""
    found = []
    for span in _code_spans(text):
        if any(bad in span for bad in REFUSED_ON_PURPOSE):
            continue
        for match in re.finditer(r"(?:^|[\s(])genoview((?:\s+[^#;]*)?)", span):
            rest = re.split(r"\s#|\s\|\s|\s\|$", match.group(1))[0]   # a comment or a shell pipe ends it; a|b stays
            rest = re.sub(r"\[|\]", " ", rest)          # [--json] -> --json
            rest = rest.replace("...", " ").replace("…", " ")
            try:
                words = shlex.split(rest)
            except ValueError:
                words = rest.split()
            if words and words[0] == "help":
                words = words[1:] + ["--help"]
            command = words[0] if words and words[0] in COMMANDS else "gui"
            if words and words[0] in COMMANDS:
                words = words[1:]
            found.append((command, words, span))
    return found


def test_readme_shows_many_commands():
    commands = {c for c, _w, _s in _genoview_commands(_text(README))}
    assert {"predict", "evaluate", "train", "calibrate", "adapt", "mutate", "score-pairs", "train-lm", "info",
            "models", "gui"} <= commands


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_option_shown_with_a_command_is_that_commands(doc, options_by_command):
    wrong = []
    for command, words, span in _genoview_commands(_text(doc)):
        for word in words:
            option = word.split("=")[0]
            if re.fullmatch(r"--[a-z][a-z0-9-]*", option) and option not in options_by_command[command] | {"--help"}:
                wrong.append(f"genoview {command} {option}   (in: {span[:100]})")
    assert not wrong, "\n".join(wrong)


def test_every_choice_shown_is_one_the_command_takes():
    """`--architecture ngram|lstm|gpt`, `--rule perplexity|probability`, `--task ...`: each value is a real choice."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    wrong = []
    for doc in DOCS:
        for command, words, span in _genoview_commands(_text(doc)):
            actions = {o: a for a in sub.choices[command]._actions for o in a.option_strings}
            for option, value in zip(words, words[1:]):
                action = actions.get(option)
                if action is None or not action.choices or not re.fullmatch(r"[a-z0-9|_-]+", value):
                    continue   # no fixed choices, or a placeholder (NAME, A, DIR)
                wrong += [f"genoview {command} {option} {v}" for v in value.split("|") if v not in action.choices]
    assert not wrong, wrong


def test_every_option_named_alone_belongs_to_some_command(options_by_command):
    known = set().union(*options_by_command.values()) | OTHER_PROGRAMS | _bench_flags()
    named = set()
    for span in _code_spans(_text(README)):
        named |= {o.split("=")[0] for o in re.findall(r"(?<![\w-])--[a-z][a-z0-9_-]*(?:=\S*)?", span)}
    assert not named - known, sorted(named - known)


def _bench_flags() -> set[str]:
    """Flags of the bench scripts and of the package's own script entry points (e.g. GeneORF's fit command)."""
    flags = set()
    for script in [*(ROOT / "bench").glob("*.py"), *(ROOT / "genoview").rglob("*.py")]:
        flags |= set(re.findall(r"[\"'](--[a-z][a-z0-9_-]*)[\"']", _text(script)))
    return flags


def test_every_bench_command_names_a_script_and_its_flags():
    wrong = []
    for span in _code_spans(_text(README)):
        for match in re.finditer(r"(?:(?<=bench/)|(?<![\w/.]))(\w*bench\w*)\.py((?:\s+[^`;(]*)?)", span):
            script = ROOT / "bench" / f"{match.group(1)}.py"
            if not script.is_file():
                wrong.append(f"no {script.name}")
                continue
            source = _text(script)
            for flag in re.findall(r"(?<![\w-])--[a-z][a-z0-9_-]*", match.group(2)):
                if f'"{flag}"' not in source and f"'{flag}'" not in source:
                    wrong.append(f"{script.name} has no {flag}   (in: {span[:100]})")
    assert not wrong, "\n".join(sorted(set(wrong)))


@pytest.mark.parametrize("doc", DOCS + [ROOT / "packaging" / "README.md"], ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_paths_named_exist(doc):
    missing = []
    for span in _code_spans(_text(doc)):
        paths = re.findall(r"(?<![\w./-])((?:genoview|bench|models|resources|packaging|tests|\.ci)/[\w./-]*\w)", span)
        paths += ["genoview/" + p for p in re.findall(r"(?<![\w./-])((?:core|gui|cli)/[\w./-]*\w)", span)]
        for path in paths:
            if "*" in path or "{" in path or re.search(r"/[A-Z]+(?:/|$|\.)", path):   # a glob or a NAME placeholder
                continue
            if not (ROOT / path).exists() and not (ROOT / (path.rsplit(".", 1)[0] + ".py")).exists() \
                    and not list(ROOT.glob(path + "*")):   # also `core/io/gff_writer.write_gff3`, `core/lm*.py`
                missing.append(path)
    assert not missing, sorted(set(missing))


def _slug(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    title = re.sub(r"[`*_]", "", title.strip().lower())
    return re.sub(r"[^\w\- ]", "", title).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(m) for m in re.findall(r"^#{1,6}\s+(.*)$", _text(path), flags=re.M)}


@pytest.mark.parametrize("doc", DOCS + sorted((ROOT / "models").glob("*/README.md")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_links_land(doc):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _text(doc)):
        if re.match(r"[a-z]+://", target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)
    assert not broken, broken


def test_anchors_other_files_link_to_are_kept():
    """The README's sections that its own links, model cards and DEVELOPERS.md point to."""
    anchors = _anchors(README)
    for anchor in ("models", "what-is-met-and-what-is-missed", "speed-and-memory",
                   "training-and-the-model-library-in-the-window", "system-packages-for-the-window-debian--ubuntu",
                   "two-commands-for-a-fresh-machine"):
        assert anchor in anchors, anchor


def test_every_dependency_is_named_with_its_reason():
    """pyproject.toml's dependencies and extras each appear in README's Dependencies section (TEAM rule: a new
    dependency gets a line there saying why)."""
    tomllib = pytest.importorskip("tomllib")   # Python 3.11+

    project = tomllib.loads(_text(ROOT / "pyproject.toml"))["project"]
    wanted = list(project["dependencies"]) + [d for extra in project.get("optional-dependencies", {}).values()
                                              for d in extra]
    section = _text(README).split("## Dependencies", 1)[1].split("\n## ", 1)[0].lower()
    missing = [d for d in wanted if re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() not in section]
    assert not missing, missing
