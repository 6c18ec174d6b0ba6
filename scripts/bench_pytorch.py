"""The PyTorch twin of the library's SASRec for `deno task bench:pytorch` (whole epochs).

Reads the folder written by scripts/bench_side_by_side.ts (settings, item features, every epoch's
batches, validation histories) and trains the same model the same way:
- item encoders: `id` a table N(0, 1/d), `dense` Glorot-uniform linear + bias + layer norm,
  `multi_hot` the row-normalised bag times a table N(0, 1/d); masked mean fusion of the present
  modalities (lib/encoders);
- SASRec (lib/models/sasrec.ts): learned positions N(0, 1/d) aligned to the end of the window,
  pre-norm blocks (layer norm eps 1e-6, multi-head causal attention with padding keys masked,
  ReLU feed-forward of width d, Glorot-uniform kernels, zero biases, dropout on the input, the
  attention output and the feed-forward output), a final layer norm, padding states zeroed;
- loss: softmax cross-entropy over all items at every real position (mean), item table = the
  fused features of every item (tied);
- Adam with the library's settings; validation NDCG@10 by full ranking with the user's training
  items excluded and the pessimistic rank (ties count against the target).
Times only the training passes of each epoch. Prints one JSON line:
{"epoch_seconds": [...], "ndcg": [...], "threads": ..., "torch": ...}.

Run: /usr/bin/python3 scripts/bench_pytorch.py --data DIR --threads 2
"""
import argparse
import json
import math
import os
import time

import torch


def read(data, name, dtype):
    with open(os.path.join(data, name), "rb") as f:
        raw = bytearray(f.read())
    return torch.frombuffer(raw, dtype=dtype) if raw else torch.zeros(0, dtype=dtype)


def layer_norm(x, gain, bias):
    mean = x.mean(-1, keepdim=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdim=True)
    return centred * torch.rsqrt(variance + 1e-6) * gain + bias


def glorot(rows, cols):
    limit = math.sqrt(6 / (rows + cols))
    return torch.nn.Parameter((torch.rand(rows, cols) * 2 - 1) * limit)


class Twin(torch.nn.Module):
    def __init__(self, meta, data):
        super().__init__()
        d, n = meta["dim"], meta["numItems"]
        self.dim, self.heads, self.rate = d, meta["heads"], meta["dropout"]
        self.max_length = meta["maxLength"]
        std = 1 / math.sqrt(d)
        self.encoders = []
        presence = []
        self.params = torch.nn.ParameterDict()
        for k, m in enumerate(meta["modalities"]):
            present = read(data, f"modality{k}_present.u8", torch.uint8).float()
            presence.append(present)
            if m["kind"] == "id":
                self.params[f"m{k}_table"] = torch.nn.Parameter(torch.randn(n, d) * std)
                self.encoders.append(("id", k, None))
                continue
            values = read(data, f"modality{k}_values.f32", torch.float32).reshape(n, m["dim"])
            if m["kind"] == "dense":
                self.params[f"m{k}_kernel"] = glorot(m["dim"], d)
                self.params[f"m{k}_bias"] = torch.nn.Parameter(torch.zeros(d))
                self.params[f"m{k}_gain"] = torch.nn.Parameter(torch.ones(d))
                self.params[f"m{k}_shift"] = torch.nn.Parameter(torch.zeros(d))
                self.encoders.append(("dense", k, values))
            else:
                bag = values / values.sum(1, keepdim=True).clamp(min=1)
                self.params[f"m{k}_table"] = torch.nn.Parameter(torch.randn(m["dim"], d) * std)
                self.encoders.append(("multi_hot", k, bag))
        self.presence = torch.stack(presence, 1)  # [items, modality]
        self.params["positions"] = torch.nn.Parameter(torch.randn(self.max_length, d) * std)
        for b in range(meta["blocks"]):
            for part in ["attention_norm", "feed_forward_norm"]:
                self.params[f"b{b}_{part}_gain"] = torch.nn.Parameter(torch.ones(d))
                self.params[f"b{b}_{part}_bias"] = torch.nn.Parameter(torch.zeros(d))
            for part in ["query", "key", "value", "output", "hidden", "out"]:
                self.params[f"b{b}_{part}_kernel"] = glorot(d, d)
                self.params[f"b{b}_{part}_bias"] = torch.nn.Parameter(torch.zeros(d))
        self.params["final_gain"] = torch.nn.Parameter(torch.ones(d))
        self.params["final_bias"] = torch.nn.Parameter(torch.zeros(d))
        self.blocks = meta["blocks"]

    def item_table(self):
        """Fused vectors of every item: [items, d] (masked mean over present modalities)."""
        p = self.params
        encoded = []
        for kind, k, features in self.encoders:
            if kind == "id":
                encoded.append(p[f"m{k}_table"])
            elif kind == "dense":
                linear = features @ p[f"m{k}_kernel"] + p[f"m{k}_bias"]
                encoded.append(layer_norm(linear, p[f"m{k}_gain"], p[f"m{k}_shift"]))
            else:
                encoded.append(features @ p[f"m{k}_table"])
        stacked = torch.stack(encoded, 1)  # [items, modality, d]
        weights = self.presence.unsqueeze(-1)
        return (stacked * weights).sum(1) / self.presence.sum(1, keepdim=True).clamp(min=1)

    def drop(self, x, training):
        return torch.nn.functional.dropout(x, self.rate, training=training) if self.rate > 0 else x

    def states(self, table, items, valid, training):
        batch, length = items.shape
        p, d, heads = self.params, self.dim, self.heads
        head_dim = d // heads
        keep = valid.unsqueeze(-1)
        positions = p["positions"][self.max_length - length:]
        x = self.drop(table[items] + positions, training) * keep
        causal = torch.tril(torch.ones(length, length))
        allowed = causal * valid.unsqueeze(1)  # [batch, query, key]
        bias = ((1 - allowed) * -1e9).unsqueeze(1)  # [batch, 1, query, key]
        dense = lambda t, name: t @ p[f"{name}_kernel"] + p[f"{name}_bias"]
        for b in range(self.blocks):
            q = f"b{b}"
            normed = layer_norm(x, p[f"{q}_attention_norm_gain"], p[f"{q}_attention_norm_bias"])
            split = lambda t: t.reshape(batch, length, heads, head_dim).transpose(1, 2)
            query = split(dense(normed, f"{q}_query"))
            key = split(dense(normed, f"{q}_key"))
            value = split(dense(normed, f"{q}_value"))
            scores = query @ key.transpose(-1, -2) / math.sqrt(head_dim) + bias
            mixed = (torch.softmax(scores, -1) @ value).transpose(1, 2).reshape(batch, length, d)
            y = (x + self.drop(dense(mixed, f"{q}_output"), training)) * keep
            normed2 = layer_norm(
                y, p[f"{q}_feed_forward_norm_gain"], p[f"{q}_feed_forward_norm_bias"]
            )
            out = dense(torch.relu(dense(normed2, f"{q}_hidden")), f"{q}_out")
            x = (y + self.drop(out, training)) * keep
        return layer_norm(x, p["final_gain"], p["final_bias"]) * keep


def validation_ndcg(model, data, meta):
    length = meta["maxLength"]
    items = read(data, "valid_items.i32", torch.int32).long().reshape(-1, length)
    valid = read(data, "valid_valid.f32", torch.float32).reshape(-1, length)
    targets = read(data, "valid_targets.i32", torch.int32).long()
    offsets = read(data, "history_offsets.i32", torch.int32).long()
    history = read(data, "history_items.i32", torch.int32).long()
    total = 0.0
    with torch.no_grad():
        table = model.item_table()
        for start in range(0, items.shape[0], 256):
            end = min(start + 256, items.shape[0])
            states = model.states(table, items[start:end], valid[start:end], False)
            scores = states[:, -1, :] @ table.t()  # [users, items]
            for row in range(end - start):
                user = start + row
                row_scores = scores[row].clone()
                target = int(targets[user])
                target_score = row_scores[target].item()
                row_scores[history[offsets[user]:offsets[user + 1]]] = -math.inf
                row_scores[target] = -math.inf
                rank = int((row_scores >= target_score).sum())
                if rank < 10:
                    total += 1 / math.log2(rank + 2)
    return total / items.shape[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=0, help="0: torch's default")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    torch.manual_seed(meta["seed"])
    model = Twin(meta, args.data)
    optimizer = torch.optim.Adam(
        model.parameters(),
        lr=meta["learningRate"],
        betas=(meta["beta1"], meta["beta2"]),
        eps=meta["epsilon"],
    )
    length = meta["maxLength"]
    epoch_seconds, ndcgs = [], []
    for epoch in range(meta["epochs"]):
        sizes = read(args.data, f"epoch{epoch}_sizes.i32", torch.int32).tolist()
        items = read(args.data, f"epoch{epoch}_items.i32", torch.int32).long().reshape(-1, length)
        valid = read(args.data, f"epoch{epoch}_valid.f32", torch.float32).reshape(-1, length)
        targets = read(args.data, f"epoch{epoch}_targets.i32", torch.int32).long().reshape(-1, length)
        start_time = time.perf_counter()
        row = 0
        for size in sizes:
            batch_items, batch_valid = items[row:row + size], valid[row:row + size]
            batch_targets = targets[row:row + size]
            row += size
            optimizer.zero_grad()
            table = model.item_table()
            states = model.states(table, batch_items, batch_valid, True)
            real = batch_valid.reshape(-1) > 0
            rows = states.reshape(-1, meta["dim"])[real]  # real positions only
            logits = rows @ table.t()
            loss = torch.nn.functional.cross_entropy(logits, batch_targets.reshape(-1)[real])
            loss.backward()
            optimizer.step()
        epoch_seconds.append(time.perf_counter() - start_time)
        ndcgs.append(validation_ndcg(model, args.data, meta))
    print(json.dumps({
        "epoch_seconds": epoch_seconds,
        "ndcg": ndcgs,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
