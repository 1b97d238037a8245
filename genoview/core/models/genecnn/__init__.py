"""GeneCNN: reading-frame features and a residual dilated 1-D CNN (per-nucleotide gene probabilities).

Prediction loads the network with torch alone (network.GeneCNNNetwork, no transformers); the transformers
classes (GeneCNNConfig, GeneCNNModel, registered with AutoConfig / AutoModel) load on first use of those
names, for training."""
from genoview.core.models.genecnn.track import GeneCNNTrackModel, load_track_model

MODEL_TYPE = "genoview-genecnn"   # = configuration_genecnn.MODEL_TYPE (that module imports transformers)
_TRANSFORMERS_NAMES = ("GeneCNNConfig", "GeneCNNModel")


def __getattr__(name: str):
    if name in _TRANSFORMERS_NAMES:
        from transformers import AutoConfig, AutoModel

        from genoview.core.models.genecnn.configuration_genecnn import MODEL_TYPE as CONFIG_TYPE, GeneCNNConfig
        from genoview.core.models.genecnn.modeling_genecnn import GeneCNNModel

        assert CONFIG_TYPE == MODEL_TYPE
        AutoConfig.register(MODEL_TYPE, GeneCNNConfig, exist_ok=True)
        AutoModel.register(GeneCNNConfig, GeneCNNModel, exist_ok=True)
        return {"GeneCNNConfig": GeneCNNConfig, "GeneCNNModel": GeneCNNModel}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(directory, *, device: str, task=None) -> GeneCNNTrackModel:
    """The model registry's hook (registry.MODEL_TYPES "genoview-genecnn"): a gene-probability TrackModel."""
    return load_track_model(directory, device)


__all__ = ["MODEL_TYPE", "load", "GeneCNNConfig", "GeneCNNModel", "GeneCNNTrackModel", "load_track_model"]
