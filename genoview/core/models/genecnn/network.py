"""GeneCNN's network in torch alone (no transformers): the layers and their arithmetic, shared by the
transformers model (modeling_genecnn.GeneCNNModel, training) and the inference network (GeneCNNNetwork, what
prediction loads: importing transformers costs more than the whole forward pass on a small region)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import nn

from genoview.core.models.genecnn.features import (
    N_CODE, N_HEXAMER, feature_count, reverse_complement, strand_features,
)
from genoview.core.models.genecnn.rna_memory import RNA_LOGIT, covered_by
from genoview.core.models.genecnn.shape import read_config


class ResidualBlock(nn.Module):
    """x + W2 gelu(dilated conv(x)): a dilated (optionally depthwise-separable) conv, then a 1x1 mix.

    Works channels last, (batch, length, channels): a dense conv is one matrix product for all taps
    followed by shifted adds, which avoids the layout conversions of the conv kernel on CPU.
    """

    def __init__(self, channels: int, kernel_size: int, dilation: int, separable: bool):
        super().__init__()
        padding = dilation * (kernel_size - 1) // 2
        groups = channels if separable else 1
        self.conv = nn.Conv1d(channels, channels, kernel_size, dilation=dilation, padding=padding, groups=groups)
        self.mix = nn.Conv1d(channels, channels, 1)
        nn.init.zeros_(self.mix.weight)  # every block starts as the identity
        nn.init.zeros_(self.mix.bias)

    def dilated_conv(self, x: torch.Tensor) -> torch.Tensor:
        """``self.conv`` on channels-last input, zero-padded like the conv."""
        conv = self.conv
        if conv.groups != 1:
            return conv(x.transpose(1, 2)).transpose(1, 2)
        channels, _, taps = conv.weight.shape
        length, dilation, centre = x.shape[1], conv.dilation[0], (taps - 1) // 2
        per_tap = torch.matmul(x, conv.weight.permute(1, 2, 0).reshape(channels, taps * channels))
        out = per_tap[..., centre * channels:(centre + 1) * channels] + conv.bias
        for tap in range(taps):
            shift = (tap - centre) * dilation
            if tap == centre or abs(shift) >= length:
                continue
            part = per_tap[..., tap * channels:(tap + 1) * channels]
            if shift < 0:   # this tap reads x[t + shift]
                out[:, -shift:] += part[:, :length + shift]
            else:
                out[:, :length - shift] += part[:, shift:]
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.conv.groups == 1 and not torch.is_grad_enabled():
            return self._forward_inference(x)
        return x + F.linear(F.gelu(self.dilated_conv(x)), self.mix.weight[:, :, 0], self.mix.bias)

    def _forward_inference(self, x: torch.Tensor) -> torch.Tensor:
        """:meth:`forward` without autograd: each tap accumulates in place into the output (no temporaries)."""
        conv = self.conv
        length, dilation, taps = x.shape[1], conv.dilation[0], conv.weight.shape[2]
        centre = (taps - 1) // 2
        per_tap = conv.weight.permute(2, 1, 0)                               # (taps, in, out)
        hidden = torch.empty_like(x)
        out = torch.empty_like(x)
        for b in range(x.shape[0]):
            torch.addmm(conv.bias, x[b], per_tap[centre], out=hidden[b])
            for tap in range(taps):
                shift = (tap - centre) * dilation
                if tap == centre or abs(shift) >= length:
                    continue
                if shift < 0:   # this tap reads x[t + shift]
                    hidden[b, -shift:].addmm_(x[b, :length + shift], per_tap[tap])
                else:
                    hidden[b, :length - shift].addmm_(x[b, shift:], per_tap[tap])
        torch._C._nn.gelu_(hidden)
        torch.add(x, self.mix.bias, out=out)
        mix = self.mix.weight[:, :, 0].t()
        for b in range(x.shape[0]):
            out[b].addmm_(hidden[b], mix)
        return out


def masked_bce(logits: torch.Tensor, labels: torch.Tensor, pos_weight: float | None = None) -> torch.Tensor:
    """Binary cross-entropy over bases whose label is not -100 (flanks, unknown)."""
    keep = labels >= 0
    weight = None if pos_weight is None else torch.tensor(pos_weight, device=logits.device)
    return F.binary_cross_entropy_with_logits(logits[keep], labels[keep].float(), pos_weight=weight)


class GeneCNNLayers:
    """The layers (``build_layers``) and the computation (``compute_logits``) of a GeneCNN; mixed into an
    nn.Module (GeneCNNNetwork) or a transformers PreTrainedModel (GeneCNNModel), with the same weight names."""

    def build_layers(self, config) -> None:
        self.hexamer_scores = nn.Embedding(N_HEXAMER + 1, config.score_dims, padding_idx=N_HEXAMER)
        channels = config.hidden_size
        self.inputs = nn.Conv1d(feature_count(config.score_dims), channels, 1)
        self.blocks = nn.ModuleList(
            ResidualBlock(channels, config.kernel_size, d, config.separable) for d in config.dilations
        )
        self.head = nn.Conv1d(channels, 1, 1)
        self.register_buffer("rna_kmers", torch.full((config.rna_kmer_count,), -1, dtype=torch.int64))

    def set_rna_kmers(self, table) -> None:
        """Keep these sorted canonical k-mers of known RNA genes (see rna_memory.py)."""
        table = torch.as_tensor(table, dtype=torch.int64)
        self.rna_kmers = table.to(self.head.weight.device)
        self.config.rna_kmer_count = int(table.numel())

    def feature_matrix(self, codes: torch.Tensor) -> torch.Tensor:
        """``frame_features(codes)`` channels last: (batch, length) codes -> (batch, length, features)."""
        codes = codes.long()
        batch, length = codes.shape
        hexamers, reach = self.hexamer_scores.weight, self.config.orf_reach
        forward = strand_features(codes, hexamers, reach)
        reverse = strand_features(reverse_complement(codes), hexamers, reach).flip(1)
        per_frame = forward.shape[-1]
        # fill the channels-last feature matrix in place (one copy per block, no concatenation)
        wide = forward.new_empty(batch, length, N_CODE + 1 + 6 * per_frame)
        wide[:, :, :N_CODE + 1].zero_().scatter_(2, codes.clamp(max=N_CODE).unsqueeze(-1), 1.0)
        for strand, features in enumerate((forward, reverse)):
            for p in range(3):
                lo = N_CODE + 1 + (3 * strand + p) * per_frame
                block = wide[:, :, lo:lo + per_frame]
                if strand == 0:   # the codon holding base j as position p starts at j - p
                    block[:, p:] = features[:, :length - p]
                    block[:, :p] = 0.0
                else:             # on the reverse strand it starts at flipped index j + p
                    block[:, :length - p] = features[:, p:]
                    block[:, length - p:] = 0.0
        return wide

    def project_features(self, codes: torch.Tensor) -> torch.Tensor:
        """``inputs(frame_features(codes))`` channels last: (batch, length) codes -> (batch, length, hidden)."""
        if torch.is_grad_enabled():
            return self._project(self.feature_matrix(codes))
        return self._project_inference(codes.long())

    def _project_inference(self, codes: torch.Tensor) -> torch.Tensor:
        """:meth:`project_features` without the wide feature matrix: each strand's features are projected
        in place into the output, shifted for the three codon positions (the one-hot part is a lookup)."""
        batch, length = codes.shape
        hexamers, reach = self.hexamer_scores.weight, self.config.orf_reach
        forward = strand_features(codes, hexamers, reach)
        reverse = strand_features(reverse_complement(codes), hexamers, reach).flip(1)
        weight = self.inputs.weight[:, :, 0].t()                               # (features, hidden)
        per_frame = forward.shape[-1]
        out = (weight[:N_CODE + 1] + self.inputs.bias)[codes.clamp(max=N_CODE)]
        for strand, features in enumerate((forward, reverse)):
            for p in range(3):
                lo = N_CODE + 1 + (3 * strand + p) * per_frame
                block = weight[lo:lo + per_frame]
                for b in range(batch):
                    if strand == 0:   # the codon holding base j as position p starts at j - p
                        out[b, p:].addmm_(features[b, :length - p], block)
                    else:             # on the reverse strand it starts at flipped index j + p
                        out[b, :length - p].addmm_(features[b, p:], block)
        return out

    def _project(self, features: torch.Tensor) -> torch.Tensor:
        return F.linear(features, self.inputs.weight[:, :, 0], self.inputs.bias)

    def compute_logits(self, input_ids: torch.Tensor | None = None,
                       features: torch.Tensor | None = None, flank: int = 0) -> torch.Tensor:
        """(batch, length) genic logit per base from base codes (or from ``feature_matrix`` features).

        ``flank`` > 0: only the bases at least ``flank`` from either end are wanted, (batch, length - 2 flank)
        logits. The features are made over the whole tile (the reading frames reach far), but the residual blocks
        and the RNA memory run only over those bases and their own reach: a short contig's tile is mostly its N
        flanks, which the blocks then skip (the wanted values are the same, the blocks' padding lies out of reach).
        """
        x = self._project(features.float()) if features is not None else self.project_features(input_ids)
        full = x.shape[1]
        step = max(1, int(self.config.downsample))
        lo = hi = None
        if flank > 0:
            config = self.config
            reach = step * (sum(config.dilations) * (config.kernel_size - 1) // 2 + 3)   # the blocks' radius + 2 cells
            lo = max(0, (flank - reach) // step * step)   # on the tile's cell grid
            hi = min(full, full - flank + reach)
            x = x[:, lo:hi]
        if step > 1:
            batch, length, channels = x.shape
            cells = F.pad(x, (0, 0, 0, (-length) % step)).view(batch, -1, step, channels)
            h = cells.mean(2)
            for block in self.blocks:
                h = block(h)
            x = (cells + h.unsqueeze(2)).view(batch, -1, channels)[:, :length]   # each cell's bases get its output
        else:
            for block in self.blocks:
                x = block(x)
        logits = F.linear(F.gelu(x), self.head.weight[:, :, 0], self.head.bias).squeeze(-1)
        if lo is not None:
            logits = logits[:, flank - lo:full - flank - lo]
        if input_ids is not None and self.rna_kmers.numel():
            if lo is not None:   # a k-mer covering a wanted base lies within k - 1 of it
                k = int(self.config.rna_kmer_size)
                a, b = max(0, flank - k), min(full, full - flank + k)
                known_rna = covered_by(input_ids[:, a:b], self.rna_kmers, k)[:, flank - a:full - flank - a]
            else:
                known_rna = covered_by(input_ids, self.rna_kmers, self.config.rna_kmer_size)
            logits = torch.where(known_rna, logits.clamp(min=RNA_LOGIT), logits)
        return logits


class GeneCNNNetwork(GeneCNNLayers, nn.Module):
    """A GeneCNN for prediction: the same weights and logits as GeneCNNModel, loaded with torch alone."""

    def __init__(self, config):
        nn.Module.__init__(self)
        self.config = config
        self.build_layers(config)

    def forward(self, input_ids: torch.Tensor) -> SimpleNamespace:
        return SimpleNamespace(logits=self.compute_logits(input_ids))

    @classmethod
    def from_directory(cls, directory) -> "GeneCNNNetwork":
        from safetensors.torch import load_file

        network = cls(read_config(directory))
        network.load_state_dict(load_file(str(Path(directory) / "model.safetensors")), strict=True)
        return network.eval()
