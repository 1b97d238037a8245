"""GeneORF: a gene finder that trains itself on each genome (ORFs, dicodon/codon statistics, start and
upstream models re-counted on the genome's own genes), with gene/start scorers and an RNA-gene CNN learnt
across many genomes. Output: strand-aware gene calls (genecalls.py) and a per-nucleotide track.

Prediction imports neither transformers nor (until the RNA head runs) torch: ``load`` reads the folder with
safetensors (weights.py). The transformers classes (GeneORFConfig, GeneORFModel, registered with AutoConfig /
AutoModel) load on first use of those names, for training and adaptation."""
from genoview.core.models.geneorf.track import GeneORFTrackModel, load_track_model
from genoview.core.models.registry import lazy_auto_classes

MODEL_TYPE = "genoview-geneorf"   # = configuration_geneorf.MODEL_TYPE (that module imports transformers)
__getattr__ = lazy_auto_classes(__name__, MODEL_TYPE, ("configuration_geneorf", "GeneORFConfig"),
                                ("modeling_geneorf", "GeneORFModel"))


def register_auto_classes() -> None:
    """Register GeneORF with transformers' AutoConfig / AutoModel (imports transformers)."""
    __getattr__("GeneORFModel")


def load(directory, *, device: str, task=None) -> GeneORFTrackModel:
    """The model registry's hook (registry.MODEL_TYPES "genoview-geneorf"): a gene-probability TrackModel."""
    return load_track_model(directory, device)


__all__ = ["load", "MODEL_TYPE", "GeneORFConfig", "GeneORFModel", "GeneORFTrackModel", "load_track_model",
           "register_auto_classes"]
