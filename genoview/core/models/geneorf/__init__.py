"""GeneORF: a gene finder that trains itself on each genome (ORFs, dicodon/codon statistics, start and
upstream models re-counted on the genome's own genes), with gene/start scorers and an RNA-gene CNN learnt
across many genomes. Output: strand-aware gene calls (genecalls.py) and a per-nucleotide track.

Prediction imports neither transformers nor (until the RNA head runs) torch: ``load`` reads the folder with
safetensors (weights.py). The transformers classes (GeneORFConfig, GeneORFModel, registered with AutoConfig /
AutoModel) load on first use of those names, for training and adaptation."""
from genoview.core.models.geneorf.track import GeneORFTrackModel, load_track_model

MODEL_TYPE = "genoview-geneorf"   # = configuration_geneorf.MODEL_TYPE (that module imports transformers)
_TRANSFORMERS_NAMES = ("GeneORFConfig", "GeneORFModel")


def __getattr__(name: str):
    if name in _TRANSFORMERS_NAMES:
        from transformers import AutoConfig, AutoModel

        from genoview.core.models.geneorf.configuration_geneorf import MODEL_TYPE as CONFIG_TYPE, GeneORFConfig
        from genoview.core.models.geneorf.modeling_geneorf import GeneORFModel

        assert CONFIG_TYPE == MODEL_TYPE
        AutoConfig.register(MODEL_TYPE, GeneORFConfig, exist_ok=True)
        AutoModel.register(GeneORFConfig, GeneORFModel, exist_ok=True)
        return {"GeneORFConfig": GeneORFConfig, "GeneORFModel": GeneORFModel}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register_auto_classes() -> None:
    """Register GeneORF with transformers' AutoConfig / AutoModel (imports transformers)."""
    __getattr__("GeneORFModel")


def load(directory, *, device: str, task=None) -> GeneORFTrackModel:
    """The model registry's hook (registry.MODEL_TYPES "genoview-geneorf"): a gene-probability TrackModel."""
    return load_track_model(directory, device)


__all__ = ["load", "MODEL_TYPE", "GeneORFConfig", "GeneORFModel", "GeneORFTrackModel", "load_track_model",
           "register_auto_classes"]
