"""GeneCNN as a TrackModel: load a directory, predict chunks with their flanks."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.models.base import TrackModel, fold_logits
from genoview.core.models.registry import MODEL_TYPES
from genoview.core.models.metadata import ModelMetadata


class GeneCNNTrackModel(TrackModel):
    """A loaded GeneCNN: ``predict_chunk`` returns the genic probability of each centre base.

    A decision ``threshold`` chosen on validation data (genoview.json ``genecnn.threshold``) is folded
    into the log-odds so that 0.5 is the decision point; ranking metrics are unchanged.
    """

    default_batch_size = 2
    settings_key = MODEL_TYPES["genoview-genecnn"].settings_key   # "genecnn": the registry row says it
    any_length = True   # a convolution: a tile of any length (heat maps read the window and its context only)

    def __init__(self, model, path: Path | None, info: dict, device: str):
        self.model = model.to(device).eval()
        self.path = path
        self.info = info
        self.name = info.get("name") or (path.name if path else "genecnn")
        self.device = device
        self.context = int(model.config.context)
        self.chunk_size = int(model.config.chunk_size)
        # a tile cut short (a short contig, a sequence's last tile) keeps whole codons and pooling cells
        self.tile_multiple = 3 * max(1, int(model.config.downsample))
        self.threshold = float(info.get(self.settings_key, {}).get("threshold", 0.5))

    def predict_chunk(self, codes: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            batch = torch.from_numpy(np.ascontiguousarray(codes, dtype=np.uint8)).to(self.device)
            # only the centre's logits: the residual blocks skip the flanks beyond their reach (a short contig's
            # tile is mostly flank)
            centre = self.model.compute_logits(input_ids=batch, flank=self.context).float()
            return torch.sigmoid(fold_logits(centre, self.threshold)).cpu().numpy()


def load_track_model(path: str | os.PathLike, device: str | None = None) -> GeneCNNTrackModel:
    """Load a GeneCNN directory (config.json, model.safetensors, genoview.json) with torch alone
    (network.GeneCNNNetwork: the transformers model's weights and logits, without importing transformers)."""
    from genoview.core.device import pick_device
    from genoview.core.models.genecnn.network import GeneCNNNetwork

    path = Path(path)
    if not (path / "config.json").is_file():
        raise GenoViewInputError("not a model directory (no config.json); pick a folder saved by GenoView", path)
    meta = ModelMetadata.load(path)
    meta.threshold(GeneCNNTrackModel.settings_key)   # checked here: a message naming the file, not a traceback
    info = meta.to_dict()
    model = GeneCNNNetwork.from_directory(path)
    return GeneCNNTrackModel(model, path, info, pick_device(device))
