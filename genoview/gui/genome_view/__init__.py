"""The genome browser widget and its tracks (pyqtgraph), all on one genomic x axis."""
from genoview.gui.genome_view.view import GenomeView

__all__ = ["GenomeView"]
