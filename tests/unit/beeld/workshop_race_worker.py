"""Resending participants for the race tests (threads here, or a separate process via __main__).

Each participant sends all questions again and again (values 1, 2, 3, ...), follows a new round
when told 'round', and stops when told 'closed' (or after MAX_SENDS). It records, per
(question, round), the last value the store reported as saved: that must be what is stored.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

MAX_SENDS = 300
PAUSE_S = 0.05


THREADS = 16  # participants are interleaved over a few threads (as app servers would)


def participants(store, code: str, tokens: list[str], questions: list[str]) -> list[dict[str, float]]:
    """Each participant in turn sends again; returns per participant {"question|round": value}."""
    saved: list[dict[str, float]] = [{} for _ in tokens]
    rounds, value = [1] * len(tokens), 0.0
    done = [False] * len(tokens)
    for _ in range(MAX_SENDS):
        value = min(value + 1, 100.0)
        for i, token in enumerate(tokens):
            if done[i]:
                continue
            refused = store.submit_all(code, token, dict.fromkeys(questions, value), round=rounds[i])
            for q in questions:
                if q not in refused:
                    saved[i][f"{q}|{rounds[i]}"] = value
            reasons = set(refused.values())
            done[i] = "closed" in reasons
            rounds[i] += "round" in reasons
        if all(done):
            break
        time.sleep(PAUSE_S)
    return saved


def run(url: str, code: str, tokens: list[str], questions: list[str]) -> list[dict[str, float]]:
    from wijk.beeld.workshop import WorkshopStore

    store = WorkshopStore(url)
    groups = [tokens[i::THREADS] for i in range(THREADS)]
    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = list(pool.map(lambda g: participants(store, code, g, questions), groups))
    finally:
        store.dispose()
    by_token = {t: s for g, r in zip(groups, results, strict=True) for t, s in zip(g, r, strict=True)}
    return [by_token[t] for t in tokens]


if __name__ == "__main__":  # python workshop_race_worker.py URL CODE QUESTIONS_JSON < tokens
    url, code, questions = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    tokens = json.loads(sys.stdin.read())
    print(json.dumps(run(url, code, tokens, questions)))
