"""`genoview variant-effects`: each VCF variant in a gene or region scored by language models (alt vs ref)."""
from __future__ import annotations

import argparse
import json
import sys

from genoview.core.vcf_effects import SCORING_WINDOW

SHOWN_SKIPPED = 20   # skipped lines said on stderr; the table and --json hold them all


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "variant-effects", help="score each variant of a VCF in a gene or region with language models (alt vs ref)",
        description="Each ALT of each VCF line inside the region is spliced into the region's bases on its own and "
                    "scored: log-likelihood ratio = log P(region with the ALT) - log P(region), natural log, "
                    "negative where the model finds the variant less likely. Every ALT of a multi-allelic line is "
                    "scored; lines that cannot be scored (another sequence, outside the region, REF not the "
                    "genome's, symbolic or N alleles, malformed) are listed with their line number and why. A gene on "
                    "the - strand is read as the gene (reverse-complemented), as the models were trained.")
    p.add_argument("--vcf", required=True, metavar="VCF", help="variants (plain or gzip): CHROM POS ID REF ALT")
    p.add_argument("--genome", required=True, metavar="FASTA|GBK", help="the genome the VCF's positions refer to")
    p.add_argument("--annotation", metavar="GFF", help="an annotation, so --region may be a gene name")
    p.add_argument("--region", metavar="SEQ:START-END|GENE",
                   help="the region (1-based, inclusive), a sequence name, or a gene name with --annotation "
                        "(default: the genome's only sequence)")
    p.add_argument("--model", action="append", metavar="NAME|DIR",
                   help="language model; repeat to compare (default: kn-ecoli-genes for a genome that looks like a "
                        "bacterium's or an archaeon's, else the default language model, as the window suggests)")
    p.add_argument("--window", type=int, default=SCORING_WINDOW, metavar="BASES",
                   help="a region longer than this is scored in a window of this many bases around each variant "
                        "(default 20,000; 0: the whole region for every variant)")
    p.add_argument("--out", metavar="EFFECTS.tsv", help="write the table (TSV; .csv: CSV), a row per variant and model, skipped lines included; the ratio's "
                        "column is llr_alt_minus_ref (log_likelihood_ratio before, in --json too: CHANGELOG.md)")
    p.add_argument("--json", action="store_true", help="print the scores and skipped lines as JSON")
    p.add_argument("--device", default=None, help="auto (default), cpu, cuda, cuda:N or mps")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from genoview.core.errors import GenoViewInputError
    from genoview.core.jobs import TextProgressBar, recorded_run
    from genoview.cli import default_language_model
    from genoview.core.lm_models import load_language_model
    from genoview.core.prediction import check_outputs
    from genoview.core.vcf_effects import read_vcf_alleles, reverse_complement, score_vcf_variants

    outs = []
    if args.out:
        from pathlib import Path

        out = Path(args.out)
        outs = [out]   # one table, a row per variant and model (as the window's Export table...); it wrote
        # EFFECTS.1.tsv, EFFECTS.2.tsv with several --model, and never the file the user named
        check_outputs({"table (--out)": out},
                      [p for p in (args.genome, args.vcf, args.annotation) if p], no_genomes=True)
    locus, reference, where = read_region(args)
    if not args.model:
        args.model = [default_language_model("variant-effects", args.genome_kind)]
    reading = read_vcf_alleles(args.vcf, (locus.seqid, locus.start, locus.end))   # lines far away: counted only
    feature = getattr(locus, "feature", None)
    strand = -1 if feature is not None and feature.strand < 0 else 1
    if strand < 0:
        print(f"genoview variant-effects: {args.region} is on the - strand: the region and each allele are read "
              "reverse-complemented (the gene's 5' to 3' order)", file=sys.stderr)
    read = reference if strand > 0 else reverse_complement(reference)   # the sequence as the models read it
    memorised = warn_if_training_gene("variant-effects", args.model, read)
    results = []
    for k, name in enumerate(args.model):
        model = load_language_model(name, args.device)
        bar = TextProgressBar(f"scoring variants with {model.name}")
        with recorded_run("variant-effects", model.name, {"vcf": str(args.vcf), "genome": str(args.genome),
                                                          "region": where, "strand": strand, "window": args.window,
                                                          "out": str(outs[0]) if outs else None}) as recorded:
            result = score_vcf_variants(model, reading, reference, locus.seqid, locus.start, strand,
                                        window=args.window, progress=recorded.beating(bar))
            recorded.metrics = {"scored": len(result.effects), "skipped": len(result.skipped)}
            recorded.message = f"{len(result.effects)} variant(s) scored, {len(result.skipped)} line(s) skipped in {where}"
        results.append(result)
    if outs:
        from genoview.core.vcf_effects import write_effects_table

        write_effects_table(results, outs[0])
    first = results[0]
    for note in first.notes:
        print(f"genoview variant-effects: {note}", file=sys.stderr)
    for s in first.skipped[:SHOWN_SKIPPED]:
        print(f"genoview variant-effects: {args.vcf}, line {s.line}: skipped: {s.reason}", file=sys.stderr)
    if len(first.skipped) > SHOWN_SKIPPED:   # a VCF of the wrong assembly gave a screen of REF mismatches per line
        print(f"genoview variant-effects: ... and {len(first.skipped) - SHOWN_SKIPPED:,} more skipped line(s): "
              "every one with its reason in the table (--out) and in --json", file=sys.stderr)
    if args.json:
        print(json.dumps({
            "region": first.region, "strand": "+" if strand > 0 else "-", "vcf": str(args.vcf),
            "models": [r.model for r in results],
            "variants": [{"line": e.allele.line, "chrom": e.allele.seqid, "pos": e.allele.position + 1,
                          "id": e.allele.id, "ref": e.allele.ref, "alt": e.allele.alt, "kind": e.kind,
                          "scored_bases": list(e.scored),
                          "llr_alt_minus_ref": {r.model: round(r.effects[i].llr, 6) for r in results}}
                         for i, e in enumerate(first.effects)],
            "skipped": [{"line": s.line, "text": s.text, "reason": s.reason} for s in first.skipped],
            "notes": first.notes, "training_gene_warnings": memorised}, indent=1))
    else:
        head = f"{'line':>5} {'position':<22} {'ref>alt':<16} {'kind':<9}"
        print(head + "".join(f" {r.model[:24]:>24}" for r in results))
        for i, e in enumerate(first.effects):
            a = e.allele
            change = f"{a.ref}>{a.alt}"
            change = change if len(change) <= 16 else change[:13] + "..."
            print(f"{a.line:>5} {a.seqid + ':' + format(a.position + 1, ','):<22} {change:<16} {e.kind:<9}"
                  + "".join(f" {r.effects[i].llr:>24.4f}" for r in results))
        print(f"log-likelihood ratio (nats) = log P(alt) - log P(ref) of {first.region}"
              f"{' read as the - strand gene' if strand < 0 else ''}; negative: the model finds the variant less "
              f"likely. {len(first.effects)} scored, {len(first.skipped)} skipped"
              + (f"; table: {', '.join(map(str, outs))}" if outs else ""))
    if not first.effects:
        raise GenoViewInputError(f"no variant of the VCF could be scored in {where} (see the skipped lines above)",
                                 args.vcf)
    return 0


def read_region(args: argparse.Namespace):
    """(locus, its forward bases in upper case, 'SEQ:START-END') of variant-effects' and saturation's --region (or
    the genome's only sequence), after --window is checked; letters a language model cannot read are refused."""
    from genoview.cli.mutate import _check_lm_letters
    from genoview.core.errors import GenoViewInputError
    from genoview.core.genome import open_genome
    from genoview.core.locus import resolve_locus

    if args.window < 0 or 0 < args.window < 100:
        raise GenoViewInputError(f"--window {args.window}: give at least 100 bases, or 0 for the whole region")
    with open_genome(args.genome, args.annotation) as genome:
        if getattr(genome.features, "report", None):   # skipped or repaired lines: said, as evaluate says them
            from genoview.cli import say_warning

            say_warning(getattr(args, "command", None) or "variant-effects", genome.features.report.warning())
        args.genome_kind = None
        if not args.model:   # the guess only chooses the default language model: not read when --model names one
            from genoview.core.genome_kind import genome_kind

            args.genome_kind = genome_kind(genome)   # the window's rule
        if args.region:
            locus = resolve_locus(args.region, genome)
        elif len(genome.sequences) == 1:
            locus = resolve_locus(next(iter(genome.sequences)), genome)
        else:
            raise GenoViewInputError(f"the genome has {len(genome.sequences)} sequences: choose the region with "
                                     "--region SEQ:START-END (1-based) or a gene name", args.genome)
        forward = genome.sequences[locus.seqid].text(locus.start, locus.end).upper()
    where = f"{locus.seqid}:{locus.start + 1}-{locus.end}"
    _check_lm_letters(forward, locus.seqid, locus.start, where, args.genome)
    return locus, forward, where


def warn_if_training_gene(command: str, models: list[str], sequence: str) -> list[str]:
    """Say on stderr, for each model whose card records its training genes, when the scored sequence is one of them
    (>= 50 % of its 32-mers): the effects a model gives its own training gene are memorised."""
    from genoview.core.lm_training_overlap import training_overlaps

    from genoview.cli import say_warning

    warnings = [o.warning() for o in training_overlaps(models, sequence) if o.memorised]
    for text in warnings:
        say_warning(command, text)
    return warnings
