"""The numpy loader (weights.GeneORFWeights, no transformers) keeps every config.json key GeneORFConfig has,
with the same defaults: a key added to one and not the other is silently dropped by the app's loaded model
(max_overlap was: the app decoded with 60 whatever the folder said)."""
from __future__ import annotations

import inspect


def test_loader_defaults_match_the_config_class():
    from genoview.core.models.geneorf.configuration_geneorf import GeneORFConfig
    from genoview.core.models.geneorf.weights import _CONFIG_DEFAULTS

    keys = [name for name, p in inspect.signature(GeneORFConfig.__init__).parameters.items()
            if name != "self" and p.kind is p.POSITIONAL_OR_KEYWORD]
    assert sorted(keys) == sorted(_CONFIG_DEFAULTS)
    config = GeneORFConfig()
    assert {k: getattr(config, k) for k in keys} == _CONFIG_DEFAULTS
