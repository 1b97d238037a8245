"""An ensemble of language models as a model folder (task ``language-model``): config.json names the member
models (folder names next to this one, or library names), their weights, how they are combined
(``"combine"``: ``loglinear``, the weighted mean of per-token log-probabilities, the default; or ``linear``, the
weighted mean of per-token probabilities) and optionally, per member, a prefix cache
(``"cache"``: ``null`` or ``{"contexts": [...], "alphas": [...]}``, plus ``"relatives": {"top": n, "k": 12}``
to read the gene's n nearest training genes first (n-gram members only: they hold their training genes),
see :mod:`genoview.core.lm_cache`);
optionally ``"gate": {"member": i, "edges": [...], "weights": [[...] per depth bucket]}``: weights per token
by the depth bucket of n-gram member i (:mod:`genoview.core.lm_gate`; then ``"weights"`` is only informative),
with ``"states": j`` the rows are per depth bucket x match state of member j;
optionally ``"match": [{"source": i, "k": 12, "hit": [...]}]``: match models (:mod:`genoview.core.lm_match`) over
the training genes n-gram member i holds, appended to the members in this order (``"weights"`` and gate indices
count them); no weights of its own;
optionally ``"bidirectional": {"weights": [wf, wr], "prior": [pA, pC, pG, pT], "prior_weight": w}``: the two
members (a left-to-right model, then a right-to-left one) give each base's score given both sides
(:mod:`genoview.core.lm_bidirectional`, a pseudo-log-likelihood; ``"weights"`` above is then only informative)."""
from __future__ import annotations

import json
from pathlib import Path

MODEL_TYPE = "genoview-lm-ensemble"


def write_ensemble(directory: str | Path, members: list[str], weights: list[float] | None = None,
                   combine: str = "loglinear", cache: list[dict | None] | None = None,
                   gate: dict | None = None, match: list[dict] | None = None,
                   bidirectional: dict | None = None) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {"model_type": MODEL_TYPE, "members": list(members),
              "weights": [float(w) for w in weights] if weights is not None else [1.0] * len(members),
              "combine": combine}
    if cache is not None and any(c for c in cache):
        config["cache"] = list(cache)
    if match:
        config["match"] = [dict(m) for m in match]
    if gate is not None:
        config["gate"] = {"member": int(gate["member"]), "edges": [int(e) for e in gate["edges"]],
                          "weights": [[float(v) for v in row] for row in gate["weights"]]}
        if gate.get("states") is not None:
            config["gate"]["states"] = int(gate["states"])
    if bidirectional is not None:
        config["bidirectional"] = {"weights": [float(v) for v in bidirectional["weights"]],
                                   "prior": [float(v) for v in bidirectional["prior"]],
                                   "prior_weight": float(bidirectional["prior_weight"])}
    (directory / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return directory


def load(directory: str | Path, *, device: str = "cpu", task=None):
    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm import EnsembleLM
    from genoview.core.lm_models import load_language_model, read_info

    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    members = config.get("members")
    if not isinstance(members, list) or not members:
        raise GenoViewInputError('config.json needs "members": a list of model folders or names', directory)
    caches = config.get("cache") or [None] * len(members)
    if not isinstance(caches, list) or len(caches) != len(members):
        raise GenoViewInputError('config.json: "cache" needs one entry (null or {contexts, alphas}) per member',
                                 directory)
    models = []
    for member, cache in zip(members, caches):
        sibling = directory.parent / str(member)
        loaded = load_language_model(sibling if sibling.is_dir() else str(member), device)
        if cache:
            from genoview.core.lm_cache import CachedLM

            relatives = None
            if cache.get("relatives"):
                from genoview.core.lm_cache import RELATIVE_K, RelativeIndex

                tokens = getattr(loaded, "train_tokens", None)
                if tokens is None:
                    raise GenoViewInputError(f"config.json: the cache of {member} reads training relatives, but "
                                             f"{member} does not hold its training genes (an n-gram model does)",
                                             directory)
                spec = cache["relatives"]
                relatives = RelativeIndex.from_token_arrays(tokens, loaded.reverse, int(spec.get("k", RELATIVE_K)),
                                                            int(spec.get("top", 1)))
            try:
                loaded = CachedLM(loaded, cache["contexts"], cache["alphas"], relatives)
            except (KeyError, TypeError, ValueError) as exc:
                raise GenoViewInputError(f"config.json: cache of {member}: {exc}", directory) from exc
        models.append(loaded)
    for spec in config.get("match") or []:
        from genoview.core.lm_match import match_from_member

        try:
            source = models[int(spec["source"])]
            models.append(match_from_member(source, int(spec.get("k", 12)), spec["hit"],
                                            name=f"match-{members[int(spec['source'])]}"))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise GenoViewInputError(f'config.json: "match" entries need source (a member index), k and hit '
                                     f'({exc})', directory) from exc
    gate = config.get("gate")
    bidirectional = config.get("bidirectional")
    if bidirectional:
        from genoview.core.lm_bidirectional import BidirectionalLM

        if len(models) != 2:
            raise GenoViewInputError('config.json: "bidirectional" needs exactly two members (left to right, then '
                                     'right to left)', directory)
        try:
            model = BidirectionalLM(models[0], models[1], bidirectional["weights"], bidirectional["prior"],
                                    bidirectional["prior_weight"])
        except (KeyError, TypeError, ValueError) as exc:
            raise GenoViewInputError(f'config.json: "bidirectional" needs weights, prior and prior_weight ({exc})',
                                     directory) from exc
    elif gate:
        from genoview.core.lm_gate import GatedMixtureLM

        try:
            states = gate.get("states")
            model = GatedMixtureLM(models, int(gate["member"]), gate["edges"], gate["weights"],
                                   None if states is None else int(states))
        except (KeyError, TypeError, ValueError) as exc:
            raise GenoViewInputError(f'config.json: "gate" needs member, edges and weights ({exc})',
                                     directory) from exc
    else:
        model = EnsembleLM(models, config.get("weights"), config.get("combine", "loglinear"))
    model.name, model.path = directory.name, directory
    model.info = {**model.info, **read_info(directory)}
    return model
