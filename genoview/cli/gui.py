"""`genoview gui [FASTA] [--gff G] [--model M] [--locus L] [--screenshot out.png]`: the desktop window.

Plain `genoview` and `genoview genome.fa` come here too. Qt is imported only when the command runs,
so the other commands work on machines without a display.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from genoview.core.errors import GenoViewInputError


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "gui",
        help="open the GenoView window (the default command)",
        description="Open the GenoView window, optionally with a genome, its annotation and a model's track. "
        "With --screenshot, render headlessly (QT_QPA_PLATFORM=offscreen or Xvfb), save a PNG and exit.",
    )
    p.add_argument("fasta", nargs="?", help="genome: FASTA (.gz/bgzip), GenBank or EMBL")
    p.add_argument("--gff", "--annotation", dest="gff", metavar="FILE", help="annotation: GFF3, GTF, GenBank or EMBL")
    p.add_argument("--model", help="predict with this model (name or Hugging Face directory): the first sequence, "
                   "or every sequence of a draft (more than 3 sequences, up to 8 Mb)")
    p.add_argument("--device", default="auto", help="device for --model: auto (default), cpu, cuda or mps")
    p.add_argument("--locus", help="region to show: NC_000913.3:1,000-2,000, 1000-2000, a gene name or locus tag")
    p.add_argument("--screenshot", metavar="PNG", help="render the window to this PNG and exit (needs FASTA)")
    # no default: the window opens at its last size, fitted to the screen (a 1600 x 1000 default was applied to every
    # window and put a 1280 x 800 laptop's status bar and lower docks off screen); --screenshot takes 1600 x 1000
    p.add_argument("--width", type=int, help="window width in pixels (default: the window's last size, fitted to "
                   "the screen; 1600 with --screenshot)")
    p.add_argument("--height", type=int, help="window height in pixels (default: the window's last size, fitted to "
                   "the screen; 1000 with --screenshot)")
    p.set_defaults(run=run)


def _check(args: argparse.Namespace) -> None:
    """Fail before starting Qt when the command line cannot work."""
    if args.screenshot and not args.fasta:
        raise GenoViewInputError("--screenshot needs a genome: genoview gui GENOME.fa --screenshot out.png")
    if (args.gff or args.model or args.locus) and not args.fasta:
        raise GenoViewInputError("--gff, --model and --locus need a genome file as the first argument")
    for label, path in (("genome", args.fasta), ("annotation", args.gff)):
        if path and not Path(path).is_file():
            raise GenoViewInputError(f"no such {label} file; check the path", path)
    if any(size is not None and size < 200 for size in (args.width, args.height)):
        raise GenoViewInputError("--width and --height must be at least 200 pixels")
    if args.screenshot:
        from genoview.core.prediction import check_outputs

        if args.fasta.lower().endswith(".json"):   # was "unrecognised file ... expected FASTA"
            raise GenoViewInputError("--screenshot renders a genome file; a saved session opens in the window "
                                     "(genoview gui SESSION.genoview.json, without --screenshot)", args.fasta)
        if Path(args.screenshot).suffix.lower() != ".png":
            raise GenoViewInputError("--screenshot writes a PNG image: give a name ending in .png", args.screenshot)
        # never over the genome or annotation (`--screenshot genes.gff3` emptied it), in a folder that exists,
        # as every command's output
        check_outputs({"screenshot (--screenshot)": args.screenshot}, [args.fasta, args.gff], no_genomes=True)


def no_display(environ=None, platform: str | None = None) -> bool:
    """Linux with no X or Wayland display, and no Qt platform chosen or one that needs the missing display
    (QT_QPA_PLATFORM=xcb without DISPLAY, as a Wayland desktop's setting carried into an ssh session; wayland
    without WAYLAND_DISPLAY): Qt would abort with a wall of text (exit 134), which is what a newcomer on a server
    got from `genoview genome.fa` or a misspelt command."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen.startswith("xcb"):        # X chosen (a Wayland desktop's setting carried over ssh): X is needed
        return not environ.get("DISPLAY")
    if chosen.startswith("wayland"):
        return not environ.get("WAYLAND_DISPLAY")
    return not chosen and not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def run(args: argparse.Namespace) -> int:
    _check(args)
    if no_display():
        if not args.screenshot:
            raise GenoViewInputError("no display to open the window on (DISPLAY is not set): connect with ssh -X or "
                                     "run it on a desktop; on this machine use the commands (genoview --help), or "
                                     "--screenshot out.png to render the window to a file")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"   # a screenshot needs no screen
    from genoview.gui.system_libs import check

    missing = check()   # Qt would abort on the xcb plugin with a wall of text: say which packages to install
    if missing:
        print(missing, file=sys.stderr)
        return 2
    splash = None
    if not args.screenshot:   # something on screen at once: the window's imports (pyqtgraph, torch) take 1-3 s
        from genoview.gui.startup import application, show_splash

        splash = show_splash(application())
    from genoview.app import launch

    try:
        return launch(args, splash)
    except GenoViewInputError as exc:   # before the window: started from a desktop menu, no terminal shows stderr
        if not args.screenshot:
            from genoview.gui.startup import show_start_error

            show_start_error(str(exc), splash)
        raise
