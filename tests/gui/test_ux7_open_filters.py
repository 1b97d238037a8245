"""H-ux7: File ▸ Open genome's filter hid NCBI's WGS downloads of a draft (NAME.fsa_nt.gz) and offered *.embl files
it could not read; EMBL files now open (tests/core/test_cli_newcomer_embl.py) and the filters list both."""
from __future__ import annotations

from genoview.gui.dialogs.files import ANNOTATION_FILTER, GENOME_FILTER


def test_the_open_filters_list_wgs_and_embl_files():
    for pattern in ("*.fsa_nt.gz", "*.fsa", "*.embl", "*.embl.gz", "*.fna.gz", "*.gbff.gz"):
        assert f" {pattern} " in GENOME_FILTER or f"({pattern} " in GENOME_FILTER or f" {pattern})" in GENOME_FILTER
    assert " *.embl " in ANNOTATION_FILTER and " *.gtf.gz " in ANNOTATION_FILTER
