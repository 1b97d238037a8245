"""gc_shift/evalv.py's rows (decode only, the given step-1 scorers and stage as shipped: offset 1.25, max_overlap 90,
start_background 0.5, stage cut 0.4 in the track) with the gene choice under strand-aware overlap rules: the assembled
folder's config.json gets "overlap_rules" (genecalls.OverlapRules), which self-training and the final choice read
(genecalls.max_overlap_of), the E. coli row too (genomes_bench --one reads the folder).

python bench/research/overlap/evalo.py STEP1_DIR STAGE.json LABEL SAME CONVERGENT DIVERGENT [--data D] [--outdir O]"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gc_shift"))
import evalv  # noqa: E402

from genoview.core.genecalls import OverlapRules  # noqa: E402
from genoview.core.models.geneorf import GeneORFModel  # noqa: E402

_assemble = evalv.assemble


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    rules = OverlapRules(*(int(x) for x in argv[3:6]))
    del argv[3:6]

    def assemble(step1, stage, full):
        _assemble(step1, stage, full)
        cfg = json.load(open(full / "config.json"))
        cfg["overlap_rules"] = rules.to_json()
        json.dump(cfg, open(full / "config.json", "w"), indent=1)
        model = GeneORFModel.from_pretrained(str(full), local_files_only=True).eval()
        assert OverlapRules.from_value(model.config.overlap_rules) == rules
        return model

    evalv.assemble = assemble
    evalv.main(argv)


if __name__ == "__main__":
    main()
