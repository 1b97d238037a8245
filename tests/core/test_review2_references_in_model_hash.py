"""A model folder's rna_references.fasta changes GeneORF's calls and track (RNA genes by homology), so it is part of
the model's files hash: the prediction cache (and the own-gene-calls cache) never give the tracks of the folder
before its references were added, edited or removed."""
from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE
from genoview.core.store import model_files_hash


def test_rna_references_change_the_model_files_hash(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "geneorf"}')
    bare = model_files_hash(tmp_path)
    (tmp_path / REFERENCES_FILE).write_text(">a|tRNA|76\n" + "ACGT" * 19 + "\n")
    with_refs = model_files_hash(tmp_path)
    (tmp_path / REFERENCES_FILE).write_text(">a|tRNA|80\n" + "ACGA" * 20 + "\n")   # another size: file identity
    edited = model_files_hash(tmp_path)
    assert len({bare, with_refs, edited}) == 3
    (tmp_path / REFERENCES_FILE).unlink()
    assert model_files_hash(tmp_path) == bare
