#!/usr/bin/python3
"""NLTK's port of VADER as the comparison peer of bench/sentiment_bench.

Scores each line of TEXTS (one text per line) with nltk.sentiment.vader
(Debian package python3-nltk), loaded with the same lexicon file Earshot
embeds, and prints one summary line:

    nltk_vader texts=N seconds=S texts_per_sec=R cpu_texts_per_sec=C

(C counts CPU time of the process, R wall time.)

With --scores OUT it also writes one compound score per input line. Usage:

    bench/nltk_vader_peer.py --lexicon data/sentiment/vader_lexicon.txt TEXTS [--scores OUT]
"""
import argparse
import sys
import time

try:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
except ImportError:
    sys.exit("nltk_vader_peer: python3-nltk is not installed (apt-get install python3-nltk)")


class PeerAnalyzer(SentimentIntensityAnalyzer):
    """NLTK 3.8 splits the lexicon on '\\n' and fails on the empty string
    after the file's final newline; drop it before parsing."""

    def make_lex_dict(self):
        self.lexicon_file = self.lexicon_file.rstrip("\n")
        return super().make_lex_dict()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lexicon", required=True, help="path of vader_lexicon.txt")
    parser.add_argument("--scores", help="write one compound score per line here")
    parser.add_argument("texts", help="file with one text per line")
    args = parser.parse_args()

    analyzer = PeerAnalyzer(lexicon_file="file:" + args.lexicon)
    with open(args.texts, encoding="utf-8", errors="replace", newline="\n") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()

    start = time.perf_counter()
    cpu_start = time.process_time()
    compounds = [analyzer.polarity_scores(t)["compound"] for t in texts]
    cpu_seconds = time.process_time() - cpu_start
    seconds = time.perf_counter() - start

    if args.scores:
        with open(args.scores, "w", encoding="utf-8") as out:
            out.writelines("%.4f\n" % c for c in compounds)
    rate = len(texts) / seconds if seconds > 0 else 0.0
    cpu_rate = len(texts) / cpu_seconds if cpu_seconds > 0 else 0.0
    print("nltk_vader texts=%d seconds=%.3f texts_per_sec=%.1f cpu_texts_per_sec=%.1f"
          % (len(texts), seconds, rate, cpu_rate))


if __name__ == "__main__":
    main()
