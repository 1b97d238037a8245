"""gc_shift/stage.py (the session-8 stage recipe, unchanged) with an idea's extra stage features (markov.py: A,
rbs.py: B).

python bench/research/loo/stage_x.py markov|rbs MODEL_DIR OUT.json GENOME,... [--data DATA]   (then stage.py's arguments)"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "gc_shift"))
import importlib  # noqa: E402
import columns  # noqa: E402
import stage  # noqa: E402

if __name__ == "__main__":
    idea = importlib.import_module(sys.argv[1])
    stage.call_features = columns.patch(idea)
    stage.main(sys.argv[2:])
