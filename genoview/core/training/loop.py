"""The one training loop for every architecture: a plain torch loop (fast on CPU, no hidden state).

Models are Hugging Face ``PreTrainedModel``s whose ``forward(**batch)`` returns a ``ModelOutput``
with ``.loss`` when the batch carries labels (``BertForMaskedLM``, ``BertForTokenClassification``,
``GeneCNNModel``, ...). Batches are dicts of tensors. The loop adds seeds, a warm-up + linear-decay
schedule (by steps or wall clock), periodic evaluation with early stopping, atomic checkpoints, a
wall-clock bound, a stop request that still finishes the best model, progress and cancel between batches.

Repeatable: the batch order is a function of (seed, epoch) only and every random state (python, numpy,
torch, a collator's generator) is saved in each checkpoint, so a run resumed from checkpoint N computes
exactly what the uninterrupted run computed after step N (same weights, bit for bit, on CPU).
"""
from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress
from genoview.core.training.spec import TrainingSpec

CHECKPOINT_PREFIX = "checkpoint-"
STATE_FILE = "trainer_state.json"
HISTORY_FILE = "history.json"
OPTIMIZER_FILE = "optimizer.pt"

ComputeMetrics = Callable[[np.ndarray, np.ndarray], dict[str, float]]
ComputeLoss = Callable[[Any, dict[str, Any]], tuple[Any, Any]]

STOPPED_BY_USER = "stopped by the user"


@dataclass
class TrainingResult:
    """What a finished (or time-bounded, early-stopped or user-stopped) run leaves: history and best metrics."""

    history: list[dict[str, Any]]
    best_metrics: dict[str, float]
    output_dir: Path
    steps: int = 0
    stopped_because: str = "finished"
    extra: dict[str, Any] = field(default_factory=dict)


def set_seed(seed: int) -> None:
    """Seed python, numpy and torch so a run with the same spec repeats (call before building the model)."""
    import torch

    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def apply_threads(num_threads: int | None) -> None:
    """Use ``num_threads`` CPU threads for torch (default: all cores)."""
    import torch

    torch.set_num_threads(int(num_threads or os.cpu_count() or 1))


def metric_is_better(name: str, value: float, best: float | None) -> bool:
    """Loss-like metrics improve downwards, everything else (MCC, AUC, accuracy) upwards."""
    if best is None or (isinstance(best, float) and math.isnan(best)):
        return not math.isnan(value)
    lower = "loss" in name or "perplexity" in name
    return value < best if lower else value > best


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON next to its destination and rename it into place (never a half-written file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=_json_default) + "\n")
    os.replace(tmp, path)


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def update_metadata(directory: str | os.PathLike, **entries: Any) -> dict[str, Any]:
    """Merge ``entries`` into ``directory``'s genoview.json (through its one owner, ModelMetadata)."""
    from genoview.core.models.metadata import ModelMetadata

    return ModelMetadata.update_file(directory, **entries).to_dict()


def list_checkpoints(output_dir: str | os.PathLike) -> list[Path]:
    """Complete checkpoints in ``output_dir``, oldest step first."""
    root = Path(output_dir)
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        suffix = child.name[len(CHECKPOINT_PREFIX):]
        if child.is_dir() and child.name.startswith(CHECKPOINT_PREFIX) and suffix.isdigit():
            if (child / STATE_FILE).exists():
                found.append((int(suffix), child))
    return [path for _, path in sorted(found)]


def checkpoint_spec(checkpoint: Path) -> TrainingSpec | None:
    """The spec a checkpoint was written under (None for checkpoints of older GenoView versions)."""
    state = json.loads((checkpoint / STATE_FILE).read_text())
    return TrainingSpec.from_json(state["spec"]) if state.get("spec") else None


def check_resumable(output_dir: str | os.PathLike, spec: TrainingSpec) -> Path:
    """The newest checkpoint of ``output_dir`` if ``spec`` may continue it; else an input error saying why.

    Only settings that do not change what is computed (``RESUMABLE_CHANGES``: the time bound, threads,
    checkpoints kept, log interval) may differ from the checkpoint's.
    """
    checkpoints = list_checkpoints(output_dir)
    if not checkpoints:
        raise GenoViewInputError("there is no checkpoint to resume from (the run was never started, or it "
                                 "finished); start it without --resume", output_dir)
    saved = checkpoint_spec(checkpoints[-1])
    if saved is not None:
        differing = spec.differences(saved)
        if differing:
            raise GenoViewInputError(
                f"--resume with other settings than the checkpoint's ({'; '.join(differing)}); resume with the "
                "same settings, or start a new run in another folder", checkpoints[-1])
    return checkpoints[-1]


def learning_rate_factor(step: int, warmup: int, done: float) -> float:
    """Linear warm-up over ``warmup`` steps, then linear decay to 2% as the run's ``done`` fraction nears 1."""
    if warmup and step < warmup:
        return (step + 1) / warmup
    return max(0.02, 1.0 - done)


def distributed_rank() -> tuple[int, int]:
    """(rank, world size) under torchrun / accelerate launch (RANK, WORLD_SIZE), else (0, 1)."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


def _to_device(batch: dict[str, Any], device: str) -> dict[str, Any]:
    import torch

    return {key: value.to(device) if isinstance(value, torch.Tensor) else value for key, value in batch.items()}


def _default_loss(model, batch):
    outputs = model(**batch)
    if getattr(outputs, "loss", None) is None:
        raise ValueError("the model returned no loss: the batch must carry 'labels'")
    return outputs.loss, outputs


def _random_states(collate_fn) -> dict[str, Any]:
    """Python's, numpy's and a collator's random states, as JSON (torch's goes with the optimizer)."""
    version, internal, gauss = random.getstate()
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    states = {"python": [version, list(internal), gauss],
              "numpy": [kind, keys.tolist(), int(pos), int(has_gauss), float(cached)]}
    rng = getattr(collate_fn, "rng", None)
    if isinstance(rng, np.random.Generator):
        states["collate"] = rng.bit_generator.state
    return states


def _restore_random_states(states: dict[str, Any], collate_fn) -> None:
    version, internal, gauss = states["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, pos, has_gauss, cached = states["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    rng = getattr(collate_fn, "rng", None)
    if "collate" in states and isinstance(rng, np.random.Generator):
        rng.bit_generator.state = states["collate"]


class _Trainer:
    """State of one run; :func:`train_model` is the public entry point."""

    def __init__(self, model, train_dataset, eval_dataset, spec: TrainingSpec, output_dir: Path,
                 progress, cancel, on_log, compute_metrics, collate_fn, compute_loss, save_extra, device,
                 should_stop):
        import torch

        self.torch = torch
        self.model = model
        self.train_dataset = train_dataset
        self.eval_dataset = eval_dataset
        self.spec = spec
        self.output_dir = output_dir
        self.progress = ensure_progress(progress)
        self.cancel: CancelToken = ensure_cancel(cancel)
        self.on_log = on_log or (lambda record: None)
        self.should_stop = should_stop or (lambda: False)
        self.compute_metrics = compute_metrics
        self.collate_fn = collate_fn or torch.utils.data.default_collate
        self.compute_loss = compute_loss or _default_loss
        self.save_extra = save_extra
        self.device = device
        # data-parallel under torchrun: every rank takes its share of each batch, DDP averages the
        # gradients, all ranks evaluate the same validation windows (same decisions), only rank 0 writes
        self.rank, self.world = distributed_rank()
        self.train_module = model
        if self.world > 1:
            import torch.distributed as dist

            if not dist.is_initialized():
                dist.init_process_group("gloo" if device == "cpu" else "nccl")
            model.to(device)
            self.train_module = torch.nn.parallel.DistributedDataParallel(model)
        self.metric = spec.metric or ("mcc" if compute_metrics is not None else "loss")
        n = len(train_dataset)
        self.batches_per_epoch = max(1, n // spec.batch_size) if n >= spec.batch_size else 1
        if spec.max_steps:
            self.total_steps: int | None = int(spec.max_steps)
        elif spec.epochs is not None:
            self.total_steps = int(math.ceil(spec.epochs * self.batches_per_epoch))
        else:
            self.total_steps = None   # until the time bound or early stopping
        self.eval_every = spec.eval_every or self.batches_per_epoch
        self.warmup = int(spec.warmup_fraction * (self.total_steps or self.batches_per_epoch))
        decay, no_decay = [], []
        for name, param in model.named_parameters():
            if param.requires_grad:
                (no_decay if param.ndim < 2 or "norm" in name.lower() else decay).append(param)
        self.optimizer = torch.optim.AdamW(
            [{"params": decay, "weight_decay": spec.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
            lr=spec.learning_rate,
        )
        self.step = 0
        self.history: list[dict[str, Any]] = []
        self.best_value: float | None = None
        self.best_metrics: dict[str, float] = {}
        self.best_step = 0
        self.best_state: dict[str, Any] | None = None
        self.evals_without_improvement = 0
        self.seconds_before = 0.0      # training time of earlier sessions of this run (resumed)
        self.started = time.monotonic()
        self.steps_at_start = 0

    # -- data ---------------------------------------------------------------------------------
    def _epoch_order(self, epoch: int) -> list[int]:
        generator = self.torch.Generator().manual_seed(self.spec.seed * 100_003 + epoch)
        return self.torch.randperm(len(self.train_dataset), generator=generator).tolist()

    def _batches_from(self, step: int):
        """Yield training batches from global ``step`` on; the order depends only on seed and epoch."""
        bs = self.spec.batch_size
        while True:
            epoch, within = divmod(step, self.batches_per_epoch)
            order = self._epoch_order(epoch)
            for b in range(within, self.batches_per_epoch):
                items = [self.train_dataset[i] for i in order[b * bs:(b + 1) * bs][self.rank::self.world]]
                yield self.collate_fn(items)
                step += 1

    def _eval_batches(self):
        bs = self.spec.batch_size
        for start in range(0, len(self.eval_dataset), bs):
            yield self.collate_fn([self.eval_dataset[i] for i in range(start, min(start + bs, len(self.eval_dataset)))])

    # -- evaluation ---------------------------------------------------------------------------
    def evaluate(self) -> dict[str, float]:
        torch = self.torch
        self.model.eval()
        losses, logits, labels = [], [], []
        with torch.inference_mode():
            for batch in self._eval_batches():
                self.cancel.check()
                batch = _to_device(batch, self.device)
                loss, outputs = self.compute_loss(self.model, batch)
                losses.append(float(loss))
                if self.compute_metrics is not None:
                    logits.append(outputs.logits.float().cpu().numpy())
                    labels.append(batch["labels"].cpu().numpy())
        self.model.train()
        metrics = {"loss": float(np.mean(losses)) if losses else float("nan")}
        if not math.isfinite(metrics["loss"]):
            raise GenoViewInputError(
                f"the validation loss is {metrics['loss']} at step {self.step}: training diverged or the validation "
                f"windows hold no labelled bases; lower the learning rate (now {self.spec.learning_rate}) or check "
                "the validation part and annotation")
        if self.compute_metrics is not None and logits:
            metrics.update(self.compute_metrics(np.concatenate(logits), np.concatenate(labels)))
        return metrics

    # -- checkpoints --------------------------------------------------------------------------
    def _save_model(self, directory: Path) -> None:
        self.model.save_pretrained(directory, safe_serialization=True)
        if self.save_extra is not None:
            self.save_extra(directory)

    def seconds_spent(self) -> float:
        return self.seconds_before + (time.monotonic() - self.started)

    def save_checkpoint(self) -> Path:
        """Write checkpoint-<step> atomically (temp dir, then rename) and prune old ones."""
        torch = self.torch
        final = self.output_dir / f"{CHECKPOINT_PREFIX}{self.step}"
        if self.rank:   # data-parallel: rank 0 writes
            return final
        tmp = self.output_dir / f".{final.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            self._save_model(tmp)
            torch.save({"optimizer": self.optimizer.state_dict(), "torch_rng": torch.get_rng_state()},
                       tmp / OPTIMIZER_FILE)
            if self.best_state is not None:
                from safetensors.torch import save_file

                save_file(self.best_state, str(tmp / "best_model.safetensors"))
            write_json_atomic(tmp / STATE_FILE, {
                "step": self.step, "total_steps": self.total_steps, "history": self.history,
                "best_value": self.best_value, "best_metrics": self.best_metrics, "best_step": self.best_step,
                "evals_without_improvement": self.evals_without_improvement, "metric": self.metric,
                "seconds": round(self.seconds_spent(), 3), "spec": self.spec.to_flat(),
                "random_states": _random_states(self.collate_fn),
            })
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for old in list_checkpoints(self.output_dir)[:-max(1, self.spec.keep_checkpoints)]:
            shutil.rmtree(old, ignore_errors=True)
        return final

    def resume(self) -> None:
        """Restore weights, optimizer, random states, schedule and history from the newest checkpoint."""
        torch = self.torch
        last = check_resumable(self.output_dir, self.spec)
        from safetensors.torch import load_file

        weights = load_file(str(last / "model.safetensors"))
        self.model.load_state_dict(weights, strict=False)
        saved = torch.load(last / OPTIMIZER_FILE, map_location="cpu", weights_only=True)
        self.optimizer.load_state_dict(saved["optimizer"])
        state = json.loads((last / STATE_FILE).read_text())
        self.step = int(state["step"])
        self.history = state["history"]
        self.best_value = state["best_value"]
        self.best_metrics = state["best_metrics"]
        self.best_step = state["best_step"]
        self.evals_without_improvement = state["evals_without_improvement"]
        self.seconds_before = float(state.get("seconds", 0.0))
        if (last / "best_model.safetensors").exists():
            self.best_state = load_file(str(last / "best_model.safetensors"))
        if "torch_rng" in saved:
            torch.set_rng_state(saved["torch_rng"])
        if "random_states" in state:
            _restore_random_states(state["random_states"], self.collate_fn)

    def _time_done(self, deadline_seconds: float | None) -> float:
        if not deadline_seconds:
            return 0.0
        return min(1.0, self.seconds_spent() / deadline_seconds)

    def _set_learning_rate(self, budget: float | None) -> None:
        """Decay by steps or by the wall-clock budget, whichever is further along (a time-bounded run
        still ends at a low learning rate); a run bounded by neither keeps its peak rate after warm-up."""
        done = self.step / self.total_steps if self.total_steps else 0.0
        done = max(done, self._time_done(budget))
        factor = learning_rate_factor(self.step, self.warmup, done)
        for group in self.optimizer.param_groups:
            group["lr"] = self.spec.learning_rate * factor

    def fraction_done(self, budget: float | None) -> float:
        by_steps = self.step / self.total_steps if self.total_steps else 0.0
        return min(1.0, max(by_steps, self._time_done(budget)))

    def eta_seconds(self, budget: float | None) -> float | None:
        """Seconds left: by the step rate of this session and the steps left, capped by the time bound."""
        left = []
        if budget:
            left.append(max(0.0, budget - self.seconds_spent()))
        done_here = self.step - self.steps_at_start
        if self.total_steps and done_here > 0:
            rate = (time.monotonic() - self.started) / done_here
            left.append(rate * (self.total_steps - self.step))
        return round(min(left), 1) if left else None

    # -- the loop -----------------------------------------------------------------------------
    def log(self, record: dict[str, Any], budget: float | None) -> None:
        self.history.append(record)
        self.on_log({**record, "eta_seconds": self.eta_seconds(budget), "total_steps": self.total_steps})

    def _evaluate_and_track(self, budget: float | None) -> bool:
        """Evaluate, remember the best weights, checkpoint; return True when patience has run out."""
        if self.eval_dataset is None:   # no validation asked for (API use): the last weights are the result
            self.save_checkpoint()
            return False
        metrics = self.evaluate()
        record = {"step": self.step, "epoch": round(self.step / self.batches_per_epoch, 4),
                  **{f"eval_{k}": v for k, v in metrics.items()}}
        value = metrics.get(self.metric, float("nan"))
        if metric_is_better(self.metric, value, self.best_value):
            self.best_value = value
            self.best_metrics = metrics
            self.best_step = self.step
            self.best_state = {k: v.detach().cpu().clone().contiguous() for k, v in self.model.state_dict().items()}
            self.evals_without_improvement = 0
        else:
            self.evals_without_improvement += 1
        record["best"] = self.best_step == self.step
        self.log(record, budget)
        self.save_checkpoint()
        patience = self.spec.patience
        return patience is not None and self.evals_without_improvement >= patience

    def run(self) -> TrainingResult:
        torch = self.torch
        self.output_dir.mkdir(parents=True, exist_ok=True)
        for leftover in (self.output_dir.glob(".*.tmp") if not self.rank else ()):   # half-written by a process killed mid-write
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)
        if self.spec.resume:
            self.resume()
        self.model.to(self.device)
        self.model.train()
        self.started = time.monotonic()
        self.steps_at_start = self.step
        budget = 60.0 * self.spec.max_minutes if self.spec.max_minutes else None
        stopped = "finished"
        running_loss, running_n = 0.0, 0
        if self.total_steps is not None and self.step >= self.total_steps:
            stopped = "already finished"
        elif self.spec.patience is not None and self.evals_without_improvement >= self.spec.patience:
            stopped = "early stopping"
        elif budget is not None and self.seconds_spent() >= budget:
            stopped = "time limit"
        else:
            batches = self._batches_from(self.step)
            self._set_learning_rate(budget)
            while self.total_steps is None or self.step < self.total_steps:
                self.cancel.check()
                batch = _to_device(next(batches), self.device)
                loss, _ = self.compute_loss(self.train_module, batch)
                if not bool(torch.isfinite(loss.detach())):
                    raise GenoViewInputError(
                        f"the training loss is {float(loss.detach())} at step {self.step + 1}: training diverged; lower the "
                        f"learning rate (now {self.spec.learning_rate}), or check the labels and the input windows")
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if self.spec.grad_clip:
                    torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.spec.grad_clip)
                self.optimizer.step()
                self.step += 1
                self._set_learning_rate(budget)
                running_loss += float(loss.detach())
                running_n += 1
                total = self.total_steps if self.total_steps is not None else "?"
                self.progress(self.fraction_done(budget),
                              f"step {self.step}/{total} loss {running_loss / running_n:.4f}")
                if self.step % max(1, self.spec.log_every) == 0:
                    self.log({"step": self.step, "epoch": round(self.step / self.batches_per_epoch, 4),
                              "loss": running_loss / running_n, "learning_rate": self.optimizer.param_groups[0]["lr"]},
                             budget)
                    running_loss, running_n = 0.0, 0
                out_of_time = budget is not None and self.seconds_spent() >= budget
                stop_now = self.should_stop()
                if self.world > 1:   # every rank stops at the same step, or DDP would wait forever
                    flags = torch.tensor([float(out_of_time), float(stop_now)])
                    torch.distributed.all_reduce(flags, op=torch.distributed.ReduceOp.MAX)
                    out_of_time, stop_now = bool(flags[0]), bool(flags[1])
                if (self.step % self.eval_every == 0 or self.step == self.total_steps or out_of_time or stop_now):
                    self.cancel.check()
                    if self._evaluate_and_track(budget):
                        stopped = "early stopping"
                        break
                if stop_now:
                    stopped = STOPPED_BY_USER
                    break
                if out_of_time:
                    stopped = "time limit"
                    break
        if self.best_state is None and self.eval_dataset is not None:
            self._evaluate_and_track(budget)   # resumed from a checkpoint of an older version: choose now
        self.cancel.check()
        self.save_final(stopped, self.seconds_spent())
        self.progress(1.0, f"done ({stopped})")
        return TrainingResult(self.history, self.best_metrics, self.output_dir, self.step, stopped)

    def save_final(self, stopped: str, seconds: float) -> None:
        """Put the best weights, history.json and the training record of genoview.json into output_dir."""
        if self.best_state is not None:
            self.model.load_state_dict(self.best_state, strict=False)
        if self.rank:   # data-parallel: rank 0 writes
            return
        tmp = self.output_dir / f".final.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            self._save_model(tmp)
            for item in tmp.iterdir():
                os.replace(item, self.output_dir / item.name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        write_json_atomic(self.output_dir / HISTORY_FILE, self.history)
        update_metadata(self.output_dir, training={
            "spec": self.spec.to_flat(), "steps": self.step, "total_steps": self.total_steps,
            "best_step": self.best_step, "metric": self.metric, "stopped_because": stopped,
            "seconds": round(seconds, 1), "validation": self.best_metrics,
            **({"processes": self.world} if self.world > 1 else {}),
        }, history=self.history)


def train_model(model, train_dataset, eval_dataset, spec: TrainingSpec, *, output_dir: str | os.PathLike,
                progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                on_log: Callable[[dict[str, Any]], None] | None = None,
                compute_metrics: ComputeMetrics | None = None, collate_fn: Callable | None = None,
                compute_loss: ComputeLoss | None = None, save_extra: Callable[[Path], None] | None = None,
                device: str = "cpu", should_stop: Callable[[], bool] | None = None) -> TrainingResult:
    """Train ``model`` on ``train_dataset`` (map-style, items are dicts) and keep the best by validation.

    ``compute_metrics(logits, labels) -> dict`` (numpy arrays concatenated over the validation batches)
    supplies the early-stopping metric (``spec.metric``, default ``"mcc"``; ``"loss"`` without it).
    ``compute_loss(model, batch) -> (loss, outputs)`` replaces ``outputs.loss`` (e.g. class weights).
    ``save_extra(directory)`` writes files beside the weights (a tokenizer) in checkpoints and the result.
    Checkpoints go to ``output_dir/checkpoint-<step>``; ``spec.resume`` continues from the newest one
    (refused when the spec differs from the checkpoint's). ``on_log`` receives each history record with
    ``eta_seconds`` and ``total_steps`` added. ``should_stop()`` is asked after every step: when it turns
    true the run evaluates, keeps the best weights and finishes normally ("stopped by the user").
    The best weights, ``history.json`` and the ``training`` entry of ``genoview.json`` end in ``output_dir``.
    The model should be built after :func:`set_seed` (the runner does so) for runs to repeat exactly.
    ``eval_dataset=None`` trains without validation (the last weights are the result; the runner never does
    this). Raises :class:`~genoview.core.errors.Cancelled` between batches once ``cancel`` is set, and
    GenoViewInputError for an empty training or validation set and a loss that is not finite.
    """
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # checkpoints are written often; the run has its own progress
    apply_threads(spec.num_threads)
    set_seed(spec.seed)
    if len(train_dataset) == 0:
        raise GenoViewInputError("the training set is empty; choose a larger training part or a smaller window")
    if eval_dataset is not None and len(eval_dataset) == 0:
        raise GenoViewInputError("the validation set is empty, so no checkpoint can be chosen; raise "
                                 "--valid-fraction, give --valid-seqids, or use a smaller --window")
    trainer = _Trainer(model, train_dataset, eval_dataset, spec, Path(output_dir), progress, cancel, on_log,
                       compute_metrics, collate_fn, compute_loss, save_extra, device, should_stop)
    try:
        return trainer.run()
    finally:
        if trainer.world > 1:
            import gc

            import torch.distributed as dist

            # Drop the DDP wrapper first: its Reducer holds a reference to the process group, and when the
            # Reducer is the last holder, its destructor joins gloo's worker threads while holding the GIL;
            # a worker still finishing the last collective waits for the GIL, and the rank hangs at exit
            # (seen in CI under load). The process group's own destructor releases the GIL.
            trainer.train_module = trainer.model
            gc.collect()
            if dist.is_initialized():
                dist.destroy_process_group()
