"""A character-level GRU language model on tiny-shakespeare (Assignment Q5).

``python -m dlref.train.charlm --help``. The first 90% of the characters of ``input.txt`` train the
model, the last 10% validate it. Training is truncated backpropagation through time: the text is cut
into ``batch_size`` contiguous streams, read ``seq_len`` characters at a time, and the hidden state is
carried from one chunk to the next but detached, so gradients flow back at most ``seq_len`` steps.
The learning rate warms up, then decays on a cosine over the *time budget* (``--minutes``), so a run
ends on schedule whatever the machine's speed. Validation loss is reported in nats and bits per
character (bits = nats / ln 2).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from dlref.train import common

DATA_SOURCE = ("../shared/data/tinyshakespeare/input.txt (see ../shared/data/README.md), or "
               "https://github.com/karpathy/char-rnn/blob/master/data/tinyshakespeare/input.txt")
RESULTS = common.REPOSITORY / "docs" / "training" / "results" / "charlm.json"
LOG = common.REPOSITORY / "docs" / "training" / "results" / "charlm_log.jsonl"
MODEL = common.REPOSITORY / "docs" / "training" / "models" / "charlm.pt"


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

def find_text(location: Path) -> Path:
    """``input.txt`` itself, or a folder holding ``input.txt`` or ``tinyshakespeare/input.txt``."""
    candidates = [location] if location.suffix == ".txt" else [
        location / "input.txt", location / "tinyshakespeare" / "input.txt"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise common.DataError(f"no tiny-shakespeare text found (looked at {looked}); get it from {DATA_SOURCE}")


@dataclass
class Corpus:
    """The text as integer ids, split 90/10, and the vocabulary (sorted distinct characters)."""

    vocabulary: str
    train: torch.Tensor
    validation: torch.Tensor

    @classmethod
    def from_text(cls, text: str, train_fraction: float = 0.9) -> "Corpus":
        vocabulary = "".join(sorted(set(text)))
        lookup = {c: i for i, c in enumerate(vocabulary)}
        ids = torch.tensor([lookup[c] for c in text], dtype=torch.long)
        split = int(len(ids) * train_fraction)
        return cls(vocabulary, ids[:split], ids[split:])

    @classmethod
    def load(cls, location: Path, min_characters: int = 10_000) -> "Corpus":
        path = find_text(location)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise common.DataError(f"{path} is not UTF-8 text ({error}); get it from {DATA_SOURCE}") from None
        if len(text) < min_characters:
            raise common.DataError(f"{path} has {len(text)} characters, fewer than {min_characters}: "
                                   f"it is not the tiny-shakespeare corpus; get it from {DATA_SOURCE}")
        return cls.from_text(text)

    def encode(self, text: str) -> torch.Tensor:
        unknown = sorted(set(text) - set(self.vocabulary))
        if unknown:
            raise ValueError(f"prompt has characters outside the vocabulary: {unknown}")
        return torch.tensor([self.vocabulary.index(c) for c in text], dtype=torch.long)

    def decode(self, ids) -> str:
        return "".join(self.vocabulary[int(i)] for i in ids)


def streams(ids: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Cut the text into ``batch_size`` contiguous rows (the tail that does not fit is dropped)."""
    length = len(ids) // batch_size
    if length < 2:
        raise ValueError(f"text of {len(ids)} characters is too short for batch_size={batch_size}")
    return ids[: length * batch_size].view(batch_size, length)


def chunks(rows: torch.Tensor, seq_len: int):
    """Yield ``(inputs, targets)`` chunks of ``seq_len`` steps; targets are the next characters."""
    for start in range(0, rows.shape[1] - 1, seq_len):
        end = min(start + seq_len, rows.shape[1] - 1)
        yield rows[:, start:end], rows[:, start + 1:end + 1]


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------

@dataclass
class ModelConfig:
    vocab_size: int
    embedding_dim: int = 64
    hidden_size: int = 512
    num_layers: int = 3
    dropout: float = 0.3


class ByteDropout(nn.Module):
    """Inverted dropout whose mask is drawn from random bytes: keep x_i (scaled by 1 / (1 - p)) where
    byte_i >= 256 p, else 0; ``p`` is rounded to a multiple of 1/256.

    Same distribution as ``nn.Dropout`` (each element kept independently with probability 1 - p), but
    one 64-bit random number serves eight elements: on our CPU ``bernoulli_`` took a fifth of a GRU
    training step, this mask about a fifth of that.
    """

    def __init__(self, p: float):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"dropout p must be in [0, 1), got {p}")
        self.threshold = round(p * 256)
        self.p = self.threshold / 256

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.threshold == 0:
            return x
        words = torch.randint(-2**63, 2**63 - 1, ((x.numel() + 7) // 8,), dtype=torch.int64, device=x.device)
        keep = words.view(torch.uint8)[: x.numel()].view(x.shape) >= self.threshold
        return torch.where(keep, x * (256 / (256 - self.threshold)), 0)


class CharGRU(nn.Module):
    """Embedding -> ``num_layers`` GRU layers -> linear head over the vocabulary.

    Dropout acts between the GRU layers (as ``nn.GRU(dropout=p)`` does), never on the recurrent
    hidden-to-hidden path. The layers are separate single-layer ``nn.GRU`` modules so that the dropout
    between them can be :class:`ByteDropout`. ``hidden`` is stacked like ``nn.GRU``'s:
    (num_layers, batch, hidden_size).
    """

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_dim)
        self.dropout = ByteDropout(config.dropout)
        sizes = [config.embedding_dim] + [config.hidden_size] * config.num_layers
        self.layers = nn.ModuleList(nn.GRU(sizes[i], config.hidden_size, batch_first=True)
                                    for i in range(config.num_layers))
        self.head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, ids: torch.Tensor, hidden: torch.Tensor | None = None):
        x, states = self.embedding(ids), []
        for i, layer in enumerate(self.layers):
            if i > 0:
                x = self.dropout(x)
            x, state = layer(x, None if hidden is None else hidden[i:i + 1])
            states.append(state)
        return self.head(x), torch.cat(states)


def nats_to_bits(nats: float) -> float:
    """bits per character = nats per character / ln 2."""
    return nats / math.log(2)


@torch.no_grad()
def evaluate(model: CharGRU, ids: torch.Tensor, device: common.Device, batch_size: int = 32,
             seq_len: int = 256) -> float:
    """Mean cross-entropy (nats per character) over the whole text, read as carried streams."""
    model.eval()
    total, count, hidden = 0.0, 0, None
    for inputs, targets in chunks(streams(ids, batch_size), seq_len):
        with device.autocast():
            logits, hidden = model(inputs.to(device.device), hidden)
        total += F.cross_entropy(logits.float().flatten(0, 1), targets.to(device.device).flatten(),
                                 reduction="sum").item()
        count += targets.numel()
    model.train()
    return total / count


@torch.no_grad()
def sample(model: CharGRU, corpus: Corpus, prompt: str, length: int, temperature: float = 1.0,
           top_k: int | None = None, seed: int = 0) -> str:
    """Generate ``length`` characters after ``prompt``: softmax(logits / temperature), restricted to the
    ``top_k`` most likely characters if given."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    if top_k is not None and not 1 <= top_k <= corpus.vocabulary.__len__():
        raise ValueError(f"top_k must be between 1 and {len(corpus.vocabulary)}, got {top_k}")
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    device = next(model.parameters()).device
    logits, hidden = model(corpus.encode(prompt)[None].to(device))
    out = []
    for _ in range(length):
        scores = logits[0, -1].float() / temperature
        if top_k is not None:
            threshold = torch.topk(scores, top_k).values[-1]
            scores = scores.masked_fill(scores < threshold, float("-inf"))
        next_id = torch.multinomial(torch.softmax(scores, dim=-1).cpu(), 1, generator=generator)
        out.append(int(next_id))
        logits, hidden = model(next_id.view(1, 1).to(device), hidden)
    model.train()
    return prompt + corpus.decode(out)


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

@dataclass
class TrainConfig:
    minutes: float = 15.0          # training-time budget; the LR schedule spans it
    max_steps: int | None = None   # stop earlier after this many steps (tests, smoke runs)
    batch_size: int = 128
    seq_len: int = 64
    lr: float = 3e-3
    weight_decay: float = 0.01
    warmup_steps: int = 100
    final_lr_fraction: float = 0.05
    clip_norm: float = 1.0
    eval_every_seconds: float = 60.0
    seed: int = 0


def learning_rate(config: TrainConfig, step: int, progress: float) -> float:
    """Linear warm-up over ``warmup_steps``, then cosine from ``lr`` to ``final_lr_fraction * lr`` as the
    fraction ``progress`` of the budget goes from 0 to 1."""
    warm = min(1.0, (step + 1) / config.warmup_steps)
    floor = config.final_lr_fraction
    return config.lr * warm * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


def train(corpus: Corpus, model_config: ModelConfig | None = None, config: TrainConfig | None = None,
          device: common.Device | None = None, log: common.MetricLog | None = None,
          show_progress: bool = True) -> tuple[CharGRU, dict]:
    """Train a :class:`CharGRU` on ``corpus`` by truncated BPTT; return the model and a summary."""
    config = config or TrainConfig()
    model_config = model_config or ModelConfig(vocab_size=len(corpus.vocabulary))
    device = device or common.Device.choose()
    log = log or common.MetricLog(echo=False)
    common.seed_everything(config.seed)
    model = CharGRU(model_config).to(device.device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, betas=(0.9, 0.99),
                                  weight_decay=config.weight_decay)
    rows = streams(corpus.train, config.batch_size)
    budget = config.minutes * 60.0
    clock, step, epoch, hidden, characters = common.Stopwatch(), 0, 0, None, 0
    last_eval, done = 0.0, False
    bar = common.progress(None, total=config.max_steps, description="charlm", enabled=show_progress)
    while not done:
        epoch += 1
        hidden = None  # a new pass over the streams starts from a zero state
        for inputs, targets in chunks(rows, config.seq_len):
            progress = clock.seconds / budget
            lr = learning_rate(config, step, progress)
            for group in optimizer.param_groups:
                group["lr"] = lr
            with device.autocast():
                logits, hidden = model(inputs.to(device.device), hidden)
                loss = F.cross_entropy(logits.float().flatten(0, 1), targets.to(device.device).flatten())
            hidden = hidden.detach()  # truncated BPTT: keep the state, cut the graph
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            grad_norm = nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
            optimizer.step()
            step += 1
            characters += targets.numel()  # the last chunk of a pass can be shorter than seq_len
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}", chars_per_s=f"{characters / clock.seconds:.0f}")
            finished = clock.seconds >= budget or (config.max_steps is not None and step >= config.max_steps)
            if finished or clock.seconds - last_eval >= config.eval_every_seconds:
                with clock.paused():
                    validation = evaluate(model, corpus.validation, device)
                    log.write(step=step, epoch=epoch, train_loss=round(loss.item(), 4),
                              val_loss=round(validation, 4), val_bits_per_char=round(nats_to_bits(validation), 4),
                              lr=round(lr, 6), grad_norm=round(float(grad_norm), 3),
                              training_seconds=round(clock.seconds, 1),
                              chars_per_second=round(characters / clock.seconds))
                last_eval = clock.seconds
            if finished:
                done = True
                break
    bar.close()
    final = log.records[-1]
    summary = {
        "metric": "validation cross-entropy (last 10% of input.txt)",
        "val_loss_nats_per_char": final["val_loss"],
        "val_bits_per_char": final["val_bits_per_char"],
        "steps": step, "epochs": round(characters / (rows.size(0) * (rows.size(1) - 1)), 2),
        "training_seconds": final["training_seconds"],
        "device": device.describe(), "torch_version": torch.__version__, "git_commit": common.git_commit(),
        "model": asdict(model_config), "training": asdict(config),
        "parameters": sum(p.numel() for p in model.parameters()),
        "dataset": "tiny-shakespeare input.txt: first 90% of characters train, last 10% validation",
    }
    return model, summary


def save_model(model: CharGRU, corpus: Corpus, path: Path) -> Path:
    """Save the state dict in float16 (half the size; sampling casts back) with its vocabulary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {name: tensor.half() for name, tensor in model.state_dict().items()}
    torch.save({"config": asdict(model.config), "vocabulary": corpus.vocabulary, "state_dict": state}, path)
    return path


def load_model(path: Path) -> tuple[CharGRU, str]:
    """The model saved by :func:`save_model`, in float32, and its vocabulary."""
    if not Path(path).is_file():
        raise common.DataError(f"no trained model at {path}: run `python -m dlref.train.charlm` first")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = CharGRU(ModelConfig(**saved["config"]))
    model.load_state_dict({name: tensor.float() for name, tensor in saved["state_dict"].items()})
    return model.eval(), saved["vocabulary"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m dlref.train.charlm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help=f"input.txt or a folder holding it (default: ${common.DATA_ENVIRONMENT_VARIABLE}, "
                                       f"else {common.DEFAULT_DATA_ROOT})")
    parser.add_argument("--minutes", type=float, default=TrainConfig.minutes, help="training-time budget")
    parser.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    parser.add_argument("--hidden-size", type=int, default=ModelConfig.hidden_size)
    parser.add_argument("--num-layers", type=int, default=ModelConfig.num_layers)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--precision", choices=["bf16", "fp32"], default="bf16",
                        help="bf16 autocast (default: about 1.6 times faster here) or fp32")
    parser.add_argument("--lr", type=float, default=TrainConfig.lr, help="peak learning rate")
    parser.add_argument("--batch-size", type=int, default=TrainConfig.batch_size, help="parallel text streams")
    parser.add_argument("--seq-len", type=int, default=TrainConfig.seq_len, help="truncated-BPTT length")
    parser.add_argument("--dropout", type=float, default=ModelConfig.dropout)
    parser.add_argument("--results", type=Path, default=RESULTS, help="final metrics (JSON)")
    parser.add_argument("--log", type=Path, default=LOG, help="one JSON line per evaluation")
    parser.add_argument("--model", type=Path, default=MODEL, help="trained model (float16 state dict)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    common.keep_freed_memory()

    corpus = Corpus.load(common.data_root(args.data))
    device = common.Device.choose(args.device)
    if args.precision == "fp32":
        device.dtype = None
    print(f"tiny-shakespeare: {len(corpus.train):,} train / {len(corpus.validation):,} validation characters, "
          f"{len(corpus.vocabulary)} symbols; device {device.describe()}", flush=True)
    model, summary = train(
        corpus, ModelConfig(len(corpus.vocabulary), hidden_size=args.hidden_size, num_layers=args.num_layers,
                            dropout=args.dropout),
        TrainConfig(minutes=args.minutes, max_steps=args.max_steps, seed=args.seed, lr=args.lr,
                    batch_size=args.batch_size, seq_len=args.seq_len), device,
        common.MetricLog(args.log), show_progress=not args.no_progress)
    samples = {f"temperature {t}": sample(model, corpus, "ROMEO:", 300, temperature=t, seed=args.seed)
               for t in (0.5, 1.0)}
    samples["temperature 0.8, top-k 5"] = sample(model, corpus, "ROMEO:", 300, 0.8, top_k=5, seed=args.seed)
    summary["samples"] = samples
    save_model(model, corpus, args.model)
    common.save_results(args.results, summary)
    print(f"validation loss {summary['val_loss_nats_per_char']:.4f} nats/char "
          f"({summary['val_bits_per_char']:.4f} bits/char) after {summary['steps']} steps, "
          f"{summary['training_seconds']:.0f} s of training; model saved to {args.model}")
    return summary


if __name__ == "__main__":
    main(sys.argv[1:])
