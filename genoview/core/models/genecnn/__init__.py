"""GeneCNN: reading-frame features and a residual dilated 1-D CNN (per-nucleotide gene probabilities).

Prediction loads the network with torch alone (network.GeneCNNNetwork, no transformers); the transformers
classes (GeneCNNConfig, GeneCNNModel, registered with AutoConfig / AutoModel) load on first use of those
names, for training."""
from genoview.core.models.genecnn.track import GeneCNNTrackModel, load_track_model
from genoview.core.models.registry import lazy_auto_classes

MODEL_TYPE = "genoview-genecnn"   # = configuration_genecnn.MODEL_TYPE (that module imports transformers)
__getattr__ = lazy_auto_classes(__name__, MODEL_TYPE, ("configuration_genecnn", "GeneCNNConfig"),
                                ("modeling_genecnn", "GeneCNNModel"))


def load(directory, *, device: str, task=None) -> GeneCNNTrackModel:
    """The model registry's hook (registry.MODEL_TYPES "genoview-genecnn"): a gene-probability TrackModel."""
    return load_track_model(directory, device)


__all__ = ["MODEL_TYPE", "load", "GeneCNNConfig", "GeneCNNModel", "GeneCNNTrackModel", "load_track_model"]
