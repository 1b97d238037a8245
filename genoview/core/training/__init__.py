"""Training: the spec a wizard fills in, datasets cut from a genome, and the one training loop."""
from genoview.core.training.architectures import Architecture, PreparedRun, get_architecture, register_architecture
from genoview.core.training.loop import TrainingResult, train_model
from genoview.core.training.spec import TrainingSpec

__all__ = [
    "Architecture", "PreparedRun", "TrainingResult", "TrainingSpec",
    "get_architecture", "register_architecture", "train_model",
]
