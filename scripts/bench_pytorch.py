"""The SASRec training step of bench/_sasrec_step.ts in PyTorch, for the side-by-side benchmark.

Same architecture and sizes: 2 pre-norm blocks, 1 head, d=64, L=50, B=256, 5,000 items, dropout
0.2, cross-entropy over all items at the last position (tied item embeddings), Adam. Prints one
JSON line: {"median_ms": ..., "times_ms": [...], "threads": ..., "torch": ...}.

Run: /usr/bin/python3 scripts/bench_pytorch.py --steps 10 --threads 2
"""
import argparse
import json
import math
import time

import torch


def layer_norm(x, gain, bias):
    mean = x.mean(-1, keepdim=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdim=True)
    return centred * torch.rsqrt(variance + 1e-6) * gain + bias


class SasRecStep(torch.nn.Module):
    def __init__(self, items, length, dim, blocks, dropout):
        super().__init__()
        self.dim, self.length, self.dropout = dim, length, dropout
        self.items = torch.nn.Parameter(torch.randn(items + 1, dim) / math.sqrt(dim))
        self.positions = torch.nn.Parameter(torch.randn(length, dim) / math.sqrt(dim))
        glorot = math.sqrt(2 / (dim + dim))
        self.blocks = torch.nn.ModuleList()
        for _ in range(blocks):
            block = torch.nn.ParameterDict()
            for part in ["attention_norm", "feed_forward_norm"]:
                block[f"{part}_gain"] = torch.nn.Parameter(torch.ones(dim))
                block[f"{part}_bias"] = torch.nn.Parameter(torch.zeros(dim))
            for part in ["query", "key", "value", "output", "hidden", "out"]:
                block[f"{part}_kernel"] = torch.nn.Parameter(torch.randn(dim, dim) * glorot)
                block[f"{part}_bias"] = torch.nn.Parameter(torch.zeros(dim))
            self.blocks.append(block)
        self.final_gain = torch.nn.Parameter(torch.ones(dim))
        self.final_bias = torch.nn.Parameter(torch.zeros(dim))

    def drop(self, x):
        return torch.nn.functional.dropout(x, self.dropout, training=True) if self.dropout > 0 else x

    def block(self, x, p, keep, attention_bias):
        dense = lambda t, name: t @ p[f"{name}_kernel"] + p[f"{name}_bias"]
        normed = layer_norm(x, p["attention_norm_gain"], p["attention_norm_bias"])
        query, key, value = dense(normed, "query"), dense(normed, "key"), dense(normed, "value")
        scores = (query @ key.transpose(1, 2)) / math.sqrt(self.dim) + attention_bias
        mixed = torch.softmax(scores, -1) @ value
        y = (x + self.drop(dense(mixed, "output"))) * keep
        normed2 = layer_norm(y, p["feed_forward_norm_gain"], p["feed_forward_norm_bias"])
        out = dense(torch.relu(dense(normed2, "hidden")), "out")
        return (y + self.drop(out)) * keep

    def forward(self, ids, targets, keep, attention_bias):
        x = self.items[ids] * math.sqrt(self.dim)
        x = self.drop(x + self.positions) * keep
        for p in self.blocks:
            x = self.block(x, p, keep, attention_bias)
        states = layer_norm(x, self.final_gain, self.final_bias)
        logits = states[:, -1, :] @ self.items.t()
        return torch.nn.functional.cross_entropy(logits, targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--length", type=int, default=50)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=0, help="0: torch's default")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(1)
    ids = torch.zeros(args.batch, args.length, dtype=torch.long)
    for u in range(args.batch):
        used = 5 + int(torch.randint(args.length - 4, (1,), generator=generator))
        ids[u, args.length - used:] = torch.randint(1, args.items + 1, (used,), generator=generator)
    targets = torch.randint(1, args.items + 1, (args.batch,), generator=generator)
    valid = (ids != 0).float()
    keep = valid.unsqueeze(-1)
    causal = torch.tril(torch.ones(args.length, args.length))
    attention_bias = (1 - causal * valid.unsqueeze(1)) * -1e9
    model = SasRecStep(args.items, args.length, args.dim, args.blocks, args.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        loss = model(ids, targets, keep, attention_bias)
        loss.backward()
        optimizer.step()
        return float(loss)

    step()  # warm-up
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    ordered = sorted(times)
    print(json.dumps({
        "median_ms": ordered[len(ordered) // 2],
        "min_ms": ordered[0],
        "times_ms": [round(t, 2) for t in times],
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
