"""Many-genome fine-tuning of the k-mer BERT (issue 12 item 5) and its genome split.

``python -m genoview.core.models.kmer_bert.multigenome train --init models/kmer-bert-ecoli --out DIR``
fine-tunes a per-token frame-class k-mer BERT on the training genomes below (E. coli's first 70 % and the
five training genomes of ``../shared/data/bacteria``), drawing every batch's windows from the genomes in
turn (each genome weighs the same, whatever its length), both strands, class-balanced loss, a wall-clock
budget. The tuning genomes are only read for the validation loss it logs; held-out genomes are never read.
The decision threshold is chosen afterwards, per genome without annotation (``kmer_bert.threshold_rule``).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("GENOVIEW_DATA", Path(__file__).resolve().parents[4].parent / "shared" / "data"))
ECOLI = ("ecoli-k12-mg1655/GCF_000005845.2_ASM584v2_genomic.fna.gz",
         "ecoli-k12-mg1655/GCF_000005845.2_ASM584v2_genomic.gff.gz")
TRAIN_GENOMES = ("staphylococcus_aureus_COL", "haemophilus_influenzae_RdKW20", "yersinia_pestis_KIM",
                 "neisseria_meningitidis_MC58", "methanococcus_maripaludis_S2")
TUNE_GENOMES = ("methanosarcina_mazei_S-6", "brucella_melitensis_16M")
HELD_OUT_GENOMES = ("mycoplasma_gallisepticum_Rlow", "chlamydia_trachomatis_D-LC", "treponema_pallidum_Nichols",
                    "paracoccus_sp_SCN68-21")
ECOLI_TRAIN_TO = 0.7


def genome_files(name: str, data: Path = DATA) -> tuple[Path, Path]:
    """(FASTA, GFF3) of a genome of the split: ``ecoli`` or a folder of ``bacteria/``."""
    if name == "ecoli":
        return data / ECOLI[0], data / ECOLI[1]
    return data / "bacteria" / name / "genome.fna.gz", data / "bacteria" / name / "annotation.gff3.gz"


def labelled_regions(name: str, data: Path = DATA, frac_to: float | None = None):
    """[(codes, frame classes)] of every sequence of a genome (E. coli: its first ``frac_to``), labels = `gene`."""
    from genoview.core.genome import open_genome, split_bounds

    fasta, gff = genome_files(name, data)
    out = []
    with open_genome(fasta, gff) as genome:
        for seqid, record in genome.sequences.items():
            genic = genome.label_mask(seqid, ("gene",))
            classes = genome.coding_frame_classes(seqid, genic)
            start, end = split_bounds(record.length, 0.0, frac_to) if frac_to else (0, record.length)
            out.append((record.codes(start, end), classes[start:end]))
    return out


def _datasets(name, vocab, n_tokens, data, frac_to=None):
    from genoview.core.genome import CODING_FRAME_REVERSE
    from genoview.core.models.kmer_bert.data import TokenLabelWindows

    sets = [TokenLabelWindows(codes, labels, vocab, n_tokens, stride=n_tokens // 2,
                              reverse_complement=CODING_FRAME_REVERSE)
            for codes, labels in labelled_regions(name, data, frac_to)]
    return [s for s in sets if len(s)]


def train(args) -> Path:
    import torch

    from genoview.core.models.kmer_bert.data import FineTuneCollator
    from genoview.core.models.kmer_bert.modeling import TASK_TOKENS, load_hf_model, save_model_dir
    from genoview.core.models.kmer_bert.training import genic_metrics

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    model, vocab, _ = load_hf_model(args.init, task=TASK_TOKENS)
    if model.config.num_labels != 8:
        raise SystemExit("--init must be a frame-class (8 labels) k-mer BERT, e.g. models/kmer-bert-ecoli")
    n_tokens = min(int(model.config.max_position_embeddings), 512) - 2
    data = Path(args.data)
    names = ["ecoli", *TRAIN_GENOMES]
    train_sets = {}
    genic_total = bases_total = 0
    for name in names:
        sets = _datasets(name, vocab, n_tokens, data, ECOLI_TRAIN_TO if name == "ecoli" else None)
        train_sets[name] = sets
        for s in sets:
            genic_total += int((s.labels > 0).sum())
            bases_total += len(s.labels)
        print(f"{name}: {sum(len(s) for s in sets)} windows", flush=True)
    genic_fraction = genic_total / bases_total
    valid = []
    for name in TUNE_GENOMES:
        for s in _datasets(name, vocab, n_tokens, data):
            picks = np.linspace(0, len(s) - 1, args.eval_windows // len(TUNE_GENOMES)).round().astype(int)
            valid += [s[int(i)] for i in picks]
    collate = FineTuneCollator(vocab.pad_id)
    weight = torch.full((8,), 0.5 / genic_fraction)
    weight[0] = 0.5 / (1.0 - genic_fraction)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    history = []
    start = time.monotonic()
    budget = args.max_minutes * 60.0
    step = 0

    def evaluate():
        model.eval()
        logits, labels = [], []
        with torch.inference_mode():
            for i in range(0, len(valid), 32):
                batch = collate(valid[i:i + 32])
                out_ = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
                logits.append(out_.logits.float().numpy())
                labels.append(batch["labels"].numpy())
        model.train()
        logits, labels = np.concatenate(logits), np.concatenate(labels)
        lab = torch.from_numpy(labels.reshape(-1))
        loss = float(torch.nn.functional.cross_entropy(torch.from_numpy(logits.reshape(-1, 8)), lab, ignore_index=-100))
        return {"eval_loss": loss, **{f"eval_{k}": v for k, v in genic_metrics(logits, labels).items()}}

    def save(directory, extra):
        meta = {"name": out.name, "architecture": "kmer-bert", "task": "token-classification",
                "kmer_bert": {"k": vocab.k, "stage": "finetune", "max_tokens": n_tokens + 2, "labels": "frame",
                              "frame_window": 61, "both_strands": True, "reverse_complement": True},
                "seed": args.seed, **extra}
        save_model_dir(model, vocab, directory, meta)

    model.train()
    while True:
        elapsed = time.monotonic() - start
        if elapsed > budget or step >= args.max_steps:
            break
        progress = min(1.0, elapsed / budget)
        lr = args.lr * min(1.0, (step + 1) / args.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
        for group in optimizer.param_groups:
            group["lr"] = lr
        items = []
        for i in range(args.batch_size):   # genomes in turn, each weighing the same
            sets = train_sets[names[(step * args.batch_size + i) % len(names)]]
            s = sets[rng.choice(len(sets), p=np.array([len(x) for x in sets]) / sum(len(x) for x in sets))]
            items.append(s[int(rng.integers(len(s)))])
        batch = collate(items)
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 8), batch["labels"].reshape(-1),
                                                 weight=weight, ignore_index=-100)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        if step % 10 == 0:
            history.append({"step": step, "loss": float(loss), "lr": lr, "minutes": round(elapsed / 60, 2)})
            print(json.dumps(history[-1]), flush=True)
        if step % args.eval_every == 0:
            history.append({"step": step, **evaluate()})
            print(json.dumps(history[-1]), flush=True)
            save(out / "last", {"steps": step})
    final = {"step": step, **evaluate()}
    history.append(final)
    print(json.dumps(final), flush=True)
    spec = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "func"}
    save(out / "final", {"steps": step, "training_minutes": round((time.monotonic() - start) / 60, 2),
                         "history": history, "multigenome_training": {
                             **spec, "train_genomes": ["ecoli[0:0.7]", *TRAIN_GENOMES],
                             "tune_genomes": list(TUNE_GENOMES), "held_out_genomes": list(HELD_OUT_GENOMES),
                             "train_genic_fraction": round(genic_fraction, 4)}})
    return out / "final"


def mcc(pred: np.ndarray, truth: np.ndarray) -> float:
    """Matthews correlation of two boolean arrays (0 when a row or column of the table is empty)."""
    pred, truth = np.asarray(pred, bool), np.asarray(truth, bool)
    tp = float(np.sum(pred & truth)); tn = float(np.sum(~pred & ~truth))
    fp = float(np.sum(pred & ~truth)); fn = float(np.sum(~pred & truth))
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denom if denom else 0.0


def sample_genome(track, name: str, sample_bases: int, data: Path = DATA):
    """Sampled chunks of a training or tuning genome (E. coli: its first 70 %): (classes, codes, genic) lists,
    the class probabilities of the bases the frame decoder reads, their codes and the centre bases' labels."""
    from genoview.core.genome import open_genome, split_bounds
    from genoview.core.models.kmer_bert.modeling import padded_chunk, sample_starts

    if name in HELD_OUT_GENOMES:
        raise SystemExit(f"{name} is held out: it is never read for a choice")
    fasta, gff = genome_files(name, data)
    with open_genome(fasta, gff) as genome:
        seqs, genic = {}, {}
        for seqid, record in genome.sequences.items():
            end = split_bounds(record.length, 0.0, ECOLI_TRAIN_TO)[1] if name == "ecoli" else record.length
            seqs[seqid] = record.codes(0, end)
            genic[seqid] = genome.label_mask(seqid, ("gene",))[:end]
    half = track.frame_window // 2
    starts = sample_starts({k: len(v) for k, v in seqs.items()}, track.chunk_size, sample_bases)
    classes, codes, labels = [], [], []
    for i in range(0, len(starts), 2):
        part = starts[i:i + 2]
        batch = np.stack([padded_chunk(seqs[sid], st, track.chunk_size, track.context) for sid, st in part])
        classes.append(track.strand_classes(batch).astype(np.float32))
        lo = track.context - half
        codes.append(batch[:, lo:lo + classes[-1].shape[1]])
        labels.append(np.stack([np.pad(genic[sid][st:st + track.chunk_size],
                                       (0, max(0, st + track.chunk_size - len(genic[sid])))) for sid, st in part]))
    return np.concatenate(classes), np.concatenate(codes), np.concatenate(labels)


def tune(args) -> None:
    """Sample the training and tuning genomes with a model and score decoders and threshold rules on them."""
    import torch

    from genoview.core.models.kmer_bert.modeling import decode_frames, load_track_model, quantile_threshold, rule_threshold

    torch.set_num_threads(args.threads)
    out = Path(args.cache)
    out.mkdir(parents=True, exist_ok=True)
    track = load_track_model(args.model).with_setting("frame_window", max(args.windows))
    names = ["ecoli", *TRAIN_GENOMES, *TUNE_GENOMES] if not args.genomes else args.genomes.split(",")
    samples = {}
    for name in names:
        path = out / f"{name}.npz"
        if not path.is_file():
            t0 = time.monotonic()
            c, k, y = sample_genome(track, name, args.sample_bases, Path(args.data))
            np.savez_compressed(path, classes=c, codes=k, labels=y)
            print(f"sampled {name}: {y.size} bases, {time.monotonic() - t0:.0f} s", flush=True)
        z = np.load(path)
        samples[name] = (z["classes"], z["codes"], z["labels"])
    from genoview.core.evaluation import evaluate

    rows = []
    big = max(args.windows) // 2
    for window in args.windows:
        trim = big - window // 2
        for stop_aware in (False, True):
            for name, (c, k, y) in samples.items():
                c2 = c[:, trim:c.shape[1] - trim] if trim else c
                k2 = k[:, trim:k.shape[1] - trim] if trim else k
                x = decode_frames(c2.astype(np.float64), window, k2 if stop_aware else None).ravel()
                truth = y.ravel().astype(bool)
                report = evaluate(truth, 1 / (1 + np.exp(-x)))
                row = {"genome": name, "window": window, "stop_aware": stop_aware, "auc": round(report.roc_auc, 4),
                       "genic_fraction": round(float(truth.mean()), 4)}
                for t in args.fixed:
                    row[f"fixed {t}"] = round(mcc(x > t, truth), 4)
                for f in args.fractions:
                    row[f"quantile {f}"] = round(mcc(x > quantile_threshold(x, f), truth), 4)
                for t in args.fixed:
                    for a, b in ((0.8, 0.92), (0.82, 0.9), (0.84, 0.9)):
                        rule = {"logodds": t, "min_fraction": a, "max_fraction": b}
                        row[f"clip {t} {a}-{b}"] = round(mcc(x > rule_threshold(x, rule), truth), 4)
                grid = np.quantile(x, np.linspace(0.02, 0.5, 49))
                row["oracle"] = round(max(mcc(x > t, truth) for t in grid), 4)
                rows.append(row)
                print(json.dumps(row), flush=True)
    (out / "rules.json").write_text(json.dumps(rows, indent=1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genoview.core.models.kmer_bert.multigenome")
    sub = parser.add_subparsers(required=True)
    t = sub.add_parser("train", help="fine-tune a frame-class k-mer BERT on the training genomes")
    t.add_argument("--init", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--data", default=str(DATA))
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--warmup", type=int, default=50)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--max-steps", type=int, default=100000)
    t.add_argument("--max-minutes", type=float, default=70.0)
    t.add_argument("--eval-every", type=int, default=250)
    t.add_argument("--eval-windows", type=int, default=128)
    t.add_argument("--threads", type=int, default=1)
    t.set_defaults(func=train)
    u = sub.add_parser("tune", help="score decoders and threshold rules on the training and tuning genomes")
    u.add_argument("--model", required=True)
    u.add_argument("--cache", required=True, help="folder for the sampled class probabilities")
    u.add_argument("--data", default=str(DATA))
    u.add_argument("--genomes", default="")
    u.add_argument("--sample-bases", type=int, default=300_000)
    u.add_argument("--windows", type=int, nargs="+", default=[31, 61, 91, 121])
    u.add_argument("--fixed", type=float, nargs="+", default=[-1.0, -0.5, 0.0, 0.5, 1.0])
    u.add_argument("--fractions", type=float, nargs="+", default=[0.8, 0.84, 0.86, 0.88, 0.9])
    u.add_argument("--threads", type=int, default=1)
    u.set_defaults(func=tune)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
