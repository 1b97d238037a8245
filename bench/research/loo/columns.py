"""The one way an idea's extra stage columns reach the precision stage (research only, not product code): patch(idea)
makes precision.call_features (and so the product's dropped_calls and gc_shift/stage.py, once its module name is
rebound) append idea.features(kept, keys), whose columns are idea.NAMES (markov.py: idea A, rbs.py: idea B)."""
import numpy as np


def patch(idea):
    from genoview.core.models.geneorf import precision

    if getattr(precision.call_features, "_idea", None) is idea:
        return precision.call_features
    orig = getattr(precision.call_features, "_orig", precision.call_features)

    def call_features(kept, genome_gc=None):
        keys, x = orig(kept, genome_gc)
        if not keys:
            return keys, np.zeros((0, x.shape[1] + len(idea.NAMES)))
        return keys, np.nan_to_num(np.hstack([x, idea.features(kept, keys)]), nan=0.0, posinf=0.0, neginf=0.0)
    call_features._idea, call_features._orig = idea, orig
    precision.call_features = call_features
    return call_features
