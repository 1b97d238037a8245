"""GeneCNN, the fast default gene model: reading-frame features and a residual dilated 1-D CNN."""
from transformers import AutoConfig, AutoModel

from genoview.core.models.genecnn.configuration_genecnn import MODEL_TYPE, GeneCNNConfig
from genoview.core.models.genecnn.modeling_genecnn import GeneCNNModel
from genoview.core.models.genecnn.track import GeneCNNTrackModel, load_track_model

AutoConfig.register(MODEL_TYPE, GeneCNNConfig, exist_ok=True)
AutoModel.register(GeneCNNConfig, GeneCNNModel, exist_ok=True)



def load(directory, *, device: str, task=None) -> GeneCNNTrackModel:
    """The model registry's hook (registry.MODEL_TYPES "genoview-genecnn"): a gene-probability TrackModel."""
    return load_track_model(directory, device)


__all__ = ["MODEL_TYPE", "load", "GeneCNNConfig", "GeneCNNModel", "GeneCNNTrackModel", "load_track_model"]
