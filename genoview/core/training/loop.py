"""The one training loop for every architecture: a plain torch loop (fast on CPU, no hidden state).

Models are Hugging Face ``PreTrainedModel``s whose ``forward(**batch)`` returns a ``ModelOutput``
with ``.loss`` when the batch carries labels (``BertForMaskedLM``, ``BertForTokenClassification``,
``GeneCNNModel``, ...). Batches are dicts of tensors. The loop adds seeds, a warm-up + linear-decay
schedule (by steps or wall clock), periodic evaluation with early stopping, atomic checkpoints with exact resume, a wall-clock
bound, progress and cancel between batches, and saves the best model with its history.
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

from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress
from genoview.core.training.spec import TrainingSpec

CHECKPOINT_PREFIX = "checkpoint-"
STATE_FILE = "trainer_state.json"
HISTORY_FILE = "history.json"

ComputeMetrics = Callable[[np.ndarray, np.ndarray], dict[str, float]]
ComputeLoss = Callable[[Any, dict[str, Any]], tuple[Any, Any]]


@dataclass
class TrainingResult:
    """What a finished (or time-bounded, or early-stopped) run leaves: its history and best metrics."""

    history: list[dict[str, Any]]
    best_metrics: dict[str, float]
    output_dir: Path
    steps: int = 0
    stopped_because: str = "finished"
    extra: dict[str, Any] = field(default_factory=dict)


def set_seed(seed: int) -> None:
    """Seed python, numpy and torch so a run with the same spec repeats."""
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
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=_json_default) + "\n")
    os.replace(tmp, path)


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def update_metadata(directory: str | os.PathLike, **entries: Any) -> dict[str, Any]:
    """Merge ``entries`` into ``directory/genoview.json`` (created if missing; ModelMetadata owns the file)
    and return the result in the file's layout."""
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


def learning_rate_factor(step: int, warmup: int, done: float) -> float:
    """Linear warm-up over ``warmup`` steps, then linear decay to 2% as the run's ``done`` fraction nears 1."""
    if warmup and step < warmup:
        return (step + 1) / warmup
    return max(0.02, 1.0 - done)


def _to_device(batch: dict[str, Any], device: str) -> dict[str, Any]:
    import torch

    return {key: value.to(device) if isinstance(value, torch.Tensor) else value for key, value in batch.items()}


def _default_loss(model, batch):
    outputs = model(**batch)
    if getattr(outputs, "loss", None) is None:
        raise ValueError("the model returned no loss: the batch must carry 'labels'")
    return outputs.loss, outputs


class _Trainer:
    """State of one run; :func:`train_model` is the public entry point."""

    def __init__(self, model, train_dataset, eval_dataset, spec: TrainingSpec, output_dir: Path,
                 progress, cancel, on_log, compute_metrics, collate_fn, compute_loss, save_extra, device):
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
        self.compute_metrics = compute_metrics
        self.collate_fn = collate_fn or torch.utils.data.default_collate
        self.compute_loss = compute_loss or _default_loss
        self.save_extra = save_extra
        self.device = device
        self.metric = spec.metric or ("mcc" if compute_metrics is not None else "loss")
        n = len(train_dataset)
        self.batches_per_epoch = max(1, n // spec.batch_size) if n >= spec.batch_size else 1
        self.total_steps = int(spec.max_steps or math.ceil(spec.epochs * self.batches_per_epoch))
        self.eval_every = spec.eval_every or self.batches_per_epoch
        self.warmup = int(spec.warmup_fraction * self.total_steps)
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
                items = [self.train_dataset[i] for i in order[b * bs:(b + 1) * bs]]
                yield self.collate_fn(items)
                step += 1

    def _eval_batches(self):
        if self.eval_dataset is None:
            return
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
        if self.compute_metrics is not None and logits:
            metrics.update(self.compute_metrics(np.concatenate(logits), np.concatenate(labels)))
        return metrics

    # -- checkpoints --------------------------------------------------------------------------
    def _save_model(self, directory: Path) -> None:
        self.model.save_pretrained(directory, safe_serialization=True)
        if self.save_extra is not None:
            self.save_extra(directory)

    def save_checkpoint(self) -> Path:
        """Write checkpoint-<step> atomically (temp dir, then rename) and prune old ones."""
        torch = self.torch
        final = self.output_dir / f"{CHECKPOINT_PREFIX}{self.step}"
        tmp = self.output_dir / f".{final.name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            self._save_model(tmp)
            torch.save({"optimizer": self.optimizer.state_dict()}, tmp / "optimizer.pt")
            if self.best_state is not None:
                from safetensors.torch import save_file

                save_file(self.best_state, str(tmp / "best_model.safetensors"))
            write_json_atomic(tmp / STATE_FILE, {
                "step": self.step, "total_steps": self.total_steps, "history": self.history,
                "best_value": self.best_value, "best_metrics": self.best_metrics, "best_step": self.best_step,
                "evals_without_improvement": self.evals_without_improvement, "metric": self.metric,
            })
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for old in list_checkpoints(self.output_dir)[:-max(1, self.spec.keep_checkpoints)]:
            shutil.rmtree(old, ignore_errors=True)
        return final

    def resume(self) -> bool:
        """Restore weights, optimizer, schedule and history from the newest complete checkpoint."""
        torch = self.torch
        checkpoints = list_checkpoints(self.output_dir)
        if not checkpoints:
            return False
        last = checkpoints[-1]
        from safetensors.torch import load_file

        weights = load_file(str(last / "model.safetensors"))
        self.model.load_state_dict(weights, strict=False)
        optim = torch.load(last / "optimizer.pt", map_location=self.device, weights_only=True)
        self.optimizer.load_state_dict(optim["optimizer"])
        state = json.loads((last / STATE_FILE).read_text())
        self.step = int(state["step"])
        self.history = state["history"]
        self.best_value = state["best_value"]
        self.best_metrics = state["best_metrics"]
        self.best_step = state["best_step"]
        self.evals_without_improvement = state["evals_without_improvement"]
        if (last / "best_model.safetensors").exists():
            self.best_state = load_file(str(last / "best_model.safetensors"))
        return True

    def _set_learning_rate(self, started: float, deadline: float | None) -> None:
        """Decay by steps or by the wall-clock budget, whichever is further along (a time-bounded run
        still ends at a low learning rate)."""
        done = self.step / self.total_steps
        if deadline is not None:
            done = max(done, (time.monotonic() - started) / (deadline - started))
        factor = learning_rate_factor(self.step, self.warmup, done)
        for group in self.optimizer.param_groups:
            group["lr"] = self.spec.learning_rate * factor

    # -- the loop -----------------------------------------------------------------------------
    def log(self, record: dict[str, Any]) -> None:
        self.history.append(record)
        self.on_log(record)

    def _evaluate_and_track(self) -> bool:
        """Evaluate, remember the best weights, checkpoint; return True when patience has run out."""
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
        self.log(record)
        self.save_checkpoint()
        patience = self.spec.patience
        return patience is not None and self.evals_without_improvement >= patience

    def run(self) -> TrainingResult:
        torch = self.torch
        self.output_dir.mkdir(parents=True, exist_ok=True)
        if self.spec.resume:
            self.resume()
        self.model.to(self.device)
        self.model.train()
        started = time.monotonic()
        deadline = started + 60.0 * self.spec.max_minutes if self.spec.max_minutes else None
        stopped = "finished"
        running_loss, running_n = 0.0, 0
        if self.step >= self.total_steps:
            stopped = "already finished"
        elif self.spec.patience is not None and self.evals_without_improvement >= self.spec.patience:
            stopped = "early stopping"
        else:
            batches = self._batches_from(self.step)
            self._set_learning_rate(started, deadline)
            while self.step < self.total_steps:
                self.cancel.check()
                batch = _to_device(next(batches), self.device)
                loss, _ = self.compute_loss(self.model, batch)
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if self.spec.grad_clip:
                    torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.spec.grad_clip)
                self.optimizer.step()
                self.step += 1
                self._set_learning_rate(started, deadline)
                running_loss += float(loss.detach())
                running_n += 1
                self.progress(self.step / self.total_steps, f"step {self.step}/{self.total_steps} loss {running_loss / running_n:.4f}")
                if self.step % max(1, self.spec.log_every) == 0:
                    self.log({"step": self.step, "epoch": round(self.step / self.batches_per_epoch, 4),
                              "loss": running_loss / running_n, "learning_rate": self.optimizer.param_groups[0]["lr"]})
                    running_loss, running_n = 0.0, 0
                out_of_time = deadline is not None and time.monotonic() >= deadline
                if self.step % self.eval_every == 0 or self.step == self.total_steps or out_of_time:
                    self.cancel.check()
                    if self._evaluate_and_track():
                        stopped = "early stopping"
                        break
                if out_of_time:
                    stopped = "time limit"
                    break
        self.cancel.check()
        self.save_final(stopped, time.monotonic() - started)
        self.progress(1.0, f"done ({stopped})")
        return TrainingResult(self.history, self.best_metrics, self.output_dir, self.step, stopped)

    def save_final(self, stopped: str, seconds: float) -> None:
        """Put the best weights, history.json and the training record of genoview.json into output_dir."""
        if self.best_state is not None:  # no validation data: keep the last weights
            self.model.load_state_dict(self.best_state, strict=False)
        tmp = self.output_dir / ".final.tmp"
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
            "spec": self.spec.to_json(), "steps": self.step, "total_steps": self.total_steps,
            "best_step": self.best_step, "metric": self.metric, "stopped_because": stopped,
            "seconds_this_session": round(seconds, 1), "validation": self.best_metrics,
        }, history=self.history)


def train_model(model, train_dataset, eval_dataset, spec: TrainingSpec, *, output_dir: str | os.PathLike,
                progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                on_log: Callable[[dict[str, Any]], None] | None = None,
                compute_metrics: ComputeMetrics | None = None, collate_fn: Callable | None = None,
                compute_loss: ComputeLoss | None = None, save_extra: Callable[[Path], None] | None = None,
                device: str = "cpu") -> TrainingResult:
    """Train ``model`` on ``train_dataset`` (map-style, items are dicts) and keep the best by validation.

    ``compute_metrics(logits, labels) -> dict`` (numpy arrays concatenated over the validation batches)
    supplies the early-stopping metric (``spec.metric``, default ``"mcc"``; ``"loss"`` without it).
    ``compute_loss(model, batch) -> (loss, outputs)`` replaces ``outputs.loss`` (e.g. class weights).
    ``save_extra(directory)`` writes files beside the weights (a tokenizer) in checkpoints and the result.
    Checkpoints go to ``output_dir/checkpoint-<step>``; ``spec.resume`` continues from the newest one.
    The best weights, ``history.json`` and the ``training`` entry of ``genoview.json`` end in ``output_dir``.
    Raises :class:`~genoview.core.errors.Cancelled` between batches once ``cancel`` is set.
    """
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # checkpoints are written often; the run has its own progress
    apply_threads(spec.num_threads)
    set_seed(spec.seed)
    if len(train_dataset) == 0:
        from genoview.core.errors import GenoViewInputError

        raise GenoViewInputError("the training set is empty; choose a larger training part or a smaller window")
    trainer = _Trainer(model, train_dataset, eval_dataset, spec, Path(output_dir), progress, cancel, on_log,
                       compute_metrics, collate_fn, compute_loss, save_extra, device)
    return trainer.run()
