#!/usr/bin/env python3
"""Compares a simulator run with the real datasets in ../shared/data.

Prints the Markdown tables of docs/SIMULATOR.md: followers, author activity,
cascade sizes, depths and delays, the daily cycle, text lengths and hashtag,
link and mention rates, plus the run's channel, language, sentiment and
intent mix. Python 3 standard library only.

Usage:
  earshot simulate --mentions 200000 --days 14 --seed 1 --out /tmp/sim   (or any Simulate() run)
  python3 tools/sim_stats.py --sim /tmp/sim --data ../shared/data
"""

import argparse
import collections
import csv
import datetime
import glob
import json
import os
import re
import sys

HASHTAG = re.compile(r"#\w")
LINK = re.compile(r"https?://")
MENTION = re.compile(r"@\w")
EDGE = re.compile(r"\['(.*?)', '(.*?)', '(.*?)'\]->\['(.*?)', '(.*?)', '(.*?)'\]")


def quantiles(values, ps=(0.1, 0.25, 0.5, 0.75, 0.9, 0.99)):
    if not values:
        return ["-"] * len(ps)
    s = sorted(values)
    return [s[min(len(s) - 1, int(p * (len(s) - 1) + 0.5))] for p in ps]


def fmt(v):
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(fmt(c) for c in r) + " |")
    return "\n".join(out)


def ms(rfc3339):
    return datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp() * 1000


# ---- Real data ------------------------------------------------------------------


def real_tweets(data):
    """Tweets and users of the two X v2 search pages (brexit, kpop)."""
    out = {}
    for name in ("brexit", "kpop"):
        with open(os.path.join(data, "x-v2", name + ".jsonl"), encoding="utf-8") as f:
            page = json.loads(f.readline())
        out[name] = (page["data"], page["includes"]["users"])
    return out


def sanders_texts(data):
    with open(os.path.join(data, "tweets-sanders", "full-corpus.csv"), encoding="utf-8") as f:
        return [r["TweetText"] for r in csv.DictReader(f)]


def real_cascades(data):
    """Sizes, depths, root shares and delays of the Twitter15/16 trees, and
    how often each user appears in them."""
    sizes, depths, root_share, delays = [], [], [], []
    appearances = collections.Counter()
    for ds in ("twitter15", "twitter16"):
        for path in sorted(glob.glob(os.path.join(data, "cascades", ds, "tree", "*.txt"))):
            with open(path, encoding="utf-8") as f:
                edges = [EDGE.match(line).groups() for line in f if line.strip()]
            depth, kids, src, n, deepest = {}, collections.Counter(), None, 0, 0
            for pu, pt, _, cu, ct, cd in edges:
                if pu == "ROOT":
                    src = (cu, ct)
                    depth[src] = 0
                    continue
                child = (cu, ct)
                if child not in depth:
                    depth[child] = depth.get((pu, pt), 0) + 1
                deepest = max(deepest, depth[child])
                kids[(pu, pt)] += 1
                appearances[cu] += 1
                delays.append(float(cd))
                n += 1
            sizes.append(n + 1)
            depths.append(deepest)
            root_share.append(kids[src] / n if n else 0)
    return sizes, depths, root_share, delays, appearances


def real_hourly(data):
    """Tweets per UTC hour of day from the X counts response (query "dogs")."""
    with open(os.path.join(data, "x-v2", "counts.jsonl"), encoding="utf-8") as f:
        page = json.loads(f.readline())
    by_hour = collections.defaultdict(list)
    for b in page["data"]:
        start, end = ms(b["start"]), ms(b["end"])
        if end - start < 3_600_000:  # a partial first bucket
            continue
        by_hour[int(start // 3_600_000) % 24].append(b["tweet_count"])
    return {h: sum(v) / len(v) for h, v in by_hour.items()}


# ---- Simulated run ----------------------------------------------------------------


def sim_x(sim):
    tweets, users = [], {}
    for path in sorted(glob.glob(os.path.join(sim, "x", "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                msg = json.loads(line)
                tweets.append(msg["data"])
                for u in msg["includes"]["users"]:
                    users[u["id"]] = u
    return tweets, users


def sim_truth(sim):
    with open(os.path.join(sim, "truth", "mentions.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def sim_cascades(truth):
    """Trees of X mentions joined by their true parents."""
    t = {m["id"]: m for m in truth if m["id"].startswith("x:")}
    children = collections.defaultdict(list)
    roots = []
    for m in t.values():
        p = m["parent"]
        if p and p in t:
            children[p].append(m["id"])
        else:
            roots.append(m["id"])
    sizes, depths, root_share, delays = [], [], [], []
    for r in roots:
        start = ms(t[r]["created_at"])
        stack, n, deepest = [(r, 0)], 0, 0
        while stack:
            node, d = stack.pop()
            n += 1
            deepest = max(deepest, d)
            if node != r:
                delays.append((ms(t[node]["created_at"]) - start) / 60000)
            stack.extend((c, d + 1) for c in children[node])
        sizes.append(n)
        depths.append(deepest)
        root_share.append(len(children[r]) / (n - 1) if n > 1 else 0)
    return sizes, depths, root_share, delays


def text_row(name, texts, rts=None):
    lengths = [len(t) for t in texts]
    q = quantiles(lengths, (0.1, 0.5, 0.9))
    n = len(texts)
    rt = sum(1 for t in texts if t.startswith("RT @")) / n if rts is None else rts
    return [name, n, q[0], q[1], q[2], sum(lengths) / n,
            sum(1 for t in texts if HASHTAG.search(t)) / n,
            sum(1 for t in texts if LINK.search(t)) / n,
            sum(1 for t in texts if MENTION.search(t)) / n, rt]


def activity_row(name, counts):
    c = sorted(counts, reverse=True)
    total = sum(c)
    top = lambda share: sum(c[: max(1, int(len(c) * share))]) / total
    q = quantiles(c, (0.5, 0.9, 0.99))
    return [name, len(c), total, q[0], q[1], q[2], c[0], top(0.01), top(0.1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sim", required=True, help="output directory of a simulator run")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    args = ap.parse_args()

    real = real_tweets(args.data)
    sanders = sanders_texts(args.data)
    c_sizes, c_depths, c_root, c_delays, c_users = real_cascades(args.data)
    tweets, users = sim_x(args.sim)
    truth = sim_truth(args.sim)
    s_sizes, s_depths, s_root, s_delays = sim_cascades(truth)

    print("### Followers (X accounts)\n")
    rows = []
    for name, (_, us) in real.items():
        rows.append([f"real: {name} users", len(us)] + quantiles([u["public_metrics"]["followers_count"] for u in us]))
    rows.append(["simulated: authors", len(users)] + quantiles([u["public_metrics"]["followers_count"] for u in users.values()]))
    print(table(["sample", "accounts", "p10", "p25", "p50", "p75", "p90", "p99"], rows))

    print("\n### Author activity\n")
    per_author = collections.Counter(m["author"] for m in truth if m["channel"] == "microblog")
    print(table(["sample", "authors", "posts", "p50", "p90", "p99", "max", "top 1% share", "top 10% share"], [
        activity_row("real: Twitter15/16 users (appearances in 200 trees)", list(c_users.values())),
        activity_row("simulated: microblog authors (posts)", list(per_author.values())),
    ]))

    print("\n### Cascades (X; size counts the root)\n")
    big = [i for i, s in enumerate(s_sizes) if s >= 90]
    rows = [
        ["real: Twitter15/16 (200 trees, all >= 90)", len(c_sizes)] + quantiles(c_sizes, (0.1, 0.5, 0.9)) +
        [max(c_sizes)] + quantiles(c_depths, (0.5, 0.9)) + [max(c_depths), sum(c_root) / len(c_root)],
        ["simulated: all cascades", len(s_sizes)] + quantiles(s_sizes, (0.1, 0.5, 0.9)) + [max(s_sizes)] +
        quantiles(s_depths, (0.5, 0.9)) + [max(s_depths), sum(r for s, r in zip(s_sizes, s_root) if s > 1) /
                                           max(1, sum(1 for s in s_sizes if s > 1))],
    ]
    if big:
        bs = [s_sizes[i] for i in big]
        bd = [s_depths[i] for i in big]
        rows.append(["simulated: cascades >= 90", len(big)] + quantiles(bs, (0.1, 0.5, 0.9)) + [max(bs)] +
                    quantiles(bd, (0.5, 0.9)) + [max(bd), sum(s_root[i] for i in big) / len(big)])
    print(table(["sample", "cascades", "size p10", "size p50", "size p90", "size max", "depth p50", "depth p90",
                 "depth max", "root share of edges"], rows))
    single = sum(1 for s in s_sizes if s == 1) / len(s_sizes)
    print(f"\nSimulated cascades of size 1 (no reaction): {single:.1%}; size histogram: "
          + ", ".join(f"{lo}-{hi}: {sum(1 for s in s_sizes if lo <= s <= hi)}"
                      for lo, hi in ((1, 1), (2, 4), (5, 19), (20, 89), (90, 10**9))))

    print("\n### Reaction delays (minutes after the root)\n")
    print(table(["sample", "reactions", "p10", "p25", "p50", "p75", "p90", "p99"], [
        ["real: Twitter15/16", len(c_delays)] + quantiles(c_delays),
        ["simulated: X cascades", len(s_delays)] + quantiles(s_delays),
    ]))

    print("\n### Daily cycle (volume by UTC hour, relative to the mean hour)\n")
    real_h = real_hourly(args.data)
    sim_h = collections.Counter(int(ms(m["created_at"]) // 3_600_000) % 24 for m in truth)
    rm, sm = sum(real_h.values()) / len(real_h), sum(sim_h.values()) / 24
    rows = [[f"{h:02d}", real_h.get(h, 0) / rm, sim_h[h] / sm] for h in range(24)]
    print(table(["UTC hour", "real: X counts \"dogs\" (7 days)", "simulated: all mentions"], rows))
    print(f"\nPeak / trough: real {max(real_h.values()) / min(real_h.values()):.2f}, "
          f"simulated {max(sim_h.values()) / max(1, min(sim_h.values())):.2f}")

    print("\n### Text (microblog posts; characters are code points)\n")
    rows = [text_row(f"real: X v2 {name}", [t["text"] for t in ts]) for name, (ts, _) in real.items()]
    rows.append(text_row("real: Sanders (2011)", sanders))
    rows.append(text_row("simulated: X, all", [t["text"] for t in tweets]))
    rows.append(text_row("simulated: X, originals", [t["text"] for t in tweets if "referenced_tweets" not in t]))
    print(table(["sample", "posts", "len p10", "len p50", "len p90", "len mean", "hashtag rate", "link rate",
                 "mention rate", "retweet share"], rows))

    print("\n### The run's mix\n")
    n = len(truth)
    mix = lambda key: ", ".join(f"{k} {v / n:.1%}" for k, v in collections.Counter(key(m) for m in truth).most_common())
    print(f"- mentions: {n:,}")
    print(f"- channels: {mix(lambda m: m['channel'])}")
    print(f"- sources: {mix(lambda m: m['id'].split(':')[0])}")
    print(f"- languages: {mix(lambda m: m['lang'])}")
    print(f"- sentiment: {mix(lambda m: m['sentiment'])}")
    intents = collections.Counter(i for m in truth for i in m["intent"])
    print("- intent labels (share of mentions): " + ", ".join(f"{k} {v / n:.1%}" for k, v in intents.most_common()))
    print(f"- with a CRM person: {sum(1 for m in truth if m['person']) / n:.1%}; with a parent: "
          f"{sum(1 for m in truth if m['parent']) / n:.1%}; in a story: {sum(1 for m in truth if m['story']) / n:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
