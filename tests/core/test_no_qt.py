"""Convention 1: core (and the headless CLI) never import Qt."""
import subprocess
import sys


def test_core_and_cli_import_without_qt():
    code = (
        "import sys, pkgutil, importlib, genoview.core, genoview.cli\n"
        "for m in pkgutil.walk_packages(genoview.core.__path__, 'genoview.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "genoview.cli.build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'genoview.gui'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
