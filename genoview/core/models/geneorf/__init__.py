"""GeneORF: a gene finder that trains itself on each genome (ORFs, dicodon/codon statistics, start and
upstream models re-counted on the genome's own genes), with gene/start scorers and an RNA-gene CNN learnt
across many genomes. Output: strand-aware gene calls (genecalls.py) and a per-nucleotide track."""
from transformers import AutoConfig, AutoModel

from genoview.core.models.geneorf.configuration_geneorf import MODEL_TYPE, GeneORFConfig
from genoview.core.models.geneorf.modeling_geneorf import GeneORFModel
from genoview.core.models.geneorf.track import GeneORFTrackModel, load_track_model

AutoConfig.register(MODEL_TYPE, GeneORFConfig, exist_ok=True)
AutoModel.register(GeneORFConfig, GeneORFModel, exist_ok=True)



def load(directory, *, device: str, task=None) -> GeneORFTrackModel:
    """The model registry's hook (registry.MODEL_TYPES "genoview-geneorf"): a gene-probability TrackModel."""
    return load_track_model(directory, device)


__all__ = ["load", "MODEL_TYPE", "GeneORFConfig", "GeneORFModel", "GeneORFTrackModel", "load_track_model"]
