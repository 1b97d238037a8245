"""Configuration of GeneORF: a self-training ORF gene finder with scorers and an RNA head learnt across genomes."""
from __future__ import annotations

from transformers import PretrainedConfig

MODEL_TYPE = "genoview-geneorf"


class GeneORFConfig(PretrainedConfig):
    """``n_features``/``hidden``: the gene and start scorers (MLPs over genecalls.FEATURES).
    ``rna_channels``/``rna_dilations``: the RNA head (rna.py). ``genetic_code``: None = detect.
    ``adapted_to``: name of the genome an adapted model's stored statistics come from (None = self-train
    on every genome it reads). ``partial_as_complete``: score a candidate running off a sequence edge (a
    partial gene, which the complete training genomes almost never show, so its ``partial`` feature lies far
    outside what the scorers learnt) as the complete gene of its length (the feature read as 0).
    ``start_background``: how self-training weighs start codons (genecalls._learn_starts): 0 = the chosen
    starts against the other starts of the same ORFs, 1 = against every candidate start of the genome
    (Prodigal's background), in between = that mix of the two log-odds. ``max_overlap``: bases two called genes
    may share in the decoding (genecalls.choose_genes); None = genecalls.MAX_OVERLAP (60, Prodigal's).
    ``overlap_rules``: strand-aware allowances instead, {"same": B, "convergent": B, "divergent": B}
    (genecalls.OverlapRules: same strand, 3'-3' and 5'-5' pairs; no gene inside another); None = ``max_overlap``
    for every pair."""

    model_type = MODEL_TYPE

    def __init__(self, n_features: int = 13, hidden: int = 32, rna_channels: int = 24,
                 rna_dilations: list[int] | None = None, genetic_code: int | None = None,
                 adapted_to: str | None = None, rna_threshold: float = 0.5, partial_as_complete: bool = False,
                 start_background: float = 0.0, call_filter: dict | None = None,
                 max_overlap: int | None = None, overlap_rules: dict | None = None, **kwargs):
        self.n_features = n_features
        self.hidden = hidden
        self.rna_channels = rna_channels
        self.rna_dilations = list(rna_dilations or [1, 2, 4, 8, 16, 32])
        self.genetic_code = genetic_code
        self.adapted_to = adapted_to
        self.rna_threshold = rna_threshold
        self.partial_as_complete = partial_as_complete
        self.start_background = start_background
        self.call_filter = call_filter
        self.max_overlap = max_overlap
        self.overlap_rules = overlap_rules
        super().__init__(**kwargs)
