#!/usr/bin/env python3
"""Writes the `forum-*` benchmark instances: one-day B2B forums whose every request
can and should be held, with a known optimum number of breaks.

Shape (after the 20 real events of Bofill et al., JAIR 74, 2022): 42-80 participants
(one role, anyone may meet anyone), 125-302 meetings, 8-22 slots, 12-27 tables,
5-13 % of the slots forbidden to each participant. The partnering-problem/1 format has
no "must be held" flag: every request becomes a pair that fits, so the optimum weight
is the weight of all requests, which the scheduler's bound proves once it is reached.

How the optimum is known: the instance is built from a planted schedule in which every
participant meets in one block of back-to-back slots, except the "split" participants,
whose forbidden slots leave no block of available slots as long as their meetings:
each of those has one break in the planted schedule and at least one in any schedule
(their meetings cannot all fit between two forbidden slots). The planted schedule thus
has as many breaks as that lower bound, so it is optimal. The script checks both
figures independently of the product and writes them to `bench/instances/OPTIMA.md`.

Usage: python3 bench/generate_forum.py [--out bench/instances] [--count 20] [--planted DIR]
"""

import argparse
import json
import os
import random


def segments(available, slot_count):
    """Lengths of the maximal runs of available slots."""
    result, run = [], 0
    for s in range(slot_count):
        if s in available:
            run += 1
        else:
            if run:
                result.append(run)
            run = 0
    if run:
        result.append(run)
    return result


def fewest_breaks(meetings, available, slot_count):
    """Fewest breaks of someone with `meetings` meetings in `available` slots of one day:
    the fewest runs of available slots that can hold them, minus one."""
    if meetings == 0:
        return 0
    held = 0
    for used, length in enumerate(sorted(segments(available, slot_count), reverse=True), start=1):
        held += length
        if held >= meetings:
            return used - 1
    raise ValueError("more meetings than available slots")


def plan(rng, index):
    """One instance: (problem, planted schedule, optimum breaks), or None to draw again."""
    slot_count = rng.randint(8, 22)
    people = rng.randint(42, 80)
    forbidden_count = [f for f in range(1, 4) if 0.05 <= f / slot_count <= 0.13] or [1]
    forbid = rng.choice(forbidden_count)
    # Meetings per participant: the block must leave the forbidden slots outside it.
    longest = slot_count - forbid
    target = rng.randint(125, 302)
    mean = min(2 * target / people, 0.8 * longest)
    degree = [max(2, min(longest, round(rng.gauss(mean, 1.2)))) for _ in range(people)]
    split_count = rng.choice([0, 0, 0, 1, 2, 3, 4, 6]) if index % 2 else 0
    split = set()
    available = []
    start = []
    for i in range(people):
        if len(split) < split_count and i % 7 == 3:
            # Forbidden slots spread so that every run of available slots is shorter than
            # the meetings, and two neighbouring runs together can hold them.
            cuts = sorted(rng.sample(range(1, slot_count - 1), forbid))
            free = set(range(slot_count)) - set(cuts)
            runs = segments(free, slot_count)
            if len(set(cuts)) != forbid or any(b - a < 2 for a, b in zip(cuts, cuts[1:])):
                pass
            elif max(runs) + 1 < slot_count and max(runs) + 1 <= longest:
                need = max(runs) + 1
                pairs = [(cut, runs[k] + runs[k + 1]) for k, cut in enumerate(cuts) if runs[k] + runs[k + 1] >= need]
                if pairs:
                    cut, _ = rng.choice(pairs)
                    # A block of need + 1 slots around `cut`, inside the two runs next to it.
                    lowest = max([c + 1 for c in cuts if c < cut] + [0])
                    highest = min([c - 1 for c in cuts if c > cut] + [slot_count - 1])
                    first_choices = [f for f in range(lowest, cut) if f + need <= highest and f + need > cut]
                    if first_choices:
                        first = rng.choice(first_choices)
                        degree[i] = need
                        split.add(i)
                        available.append(free)
                        start.append(first)
                        continue
        first = rng.randint(0, slot_count - degree[i])
        start.append(first)
        available.append(None)
    if len(split) != split_count:
        return None

    def busy(i):
        if i in split:
            return [s for s in range(start[i], start[i] + degree[i] + 1) if s in available[i]]
        return list(range(start[i], start[i] + degree[i]))

    # Even number of busy people in every slot: change a non-split block at its ends
    # only in the slot being fixed, left to right.
    for s in range(slot_count):
        active = [i for i in range(people) if s in busy(i)]
        if len(active) % 2 == 0:
            continue
        options = []
        for i in range(people):
            if i in split:
                continue
            end = start[i] + degree[i] - 1
            if end == s - 1 and end + 1 < slot_count:
                options.append((i, "grow-right"))
            if start[i] == s and degree[i] > 2:
                options.append((i, "shrink-left"))
            if start[i] == s + 1:
                options.append((i, "grow-left"))
        if not options:
            return None
        i, how = rng.choice(options)
        if how == "grow-right":
            degree[i] += 1
        elif how == "shrink-left":
            start[i] += 1
            degree[i] -= 1
        else:
            start[i] -= 1
            degree[i] += 1
    if any(degree[i] > slot_count - forbid for i in range(people) if i not in split):
        return None
    # Forbidden slots of the others: outside their block.
    for i in range(people):
        if i not in split:
            outside = [s for s in range(slot_count) if not start[i] <= s < start[i] + degree[i]]
            if len(outside) < forbid:
                return None
            available[i] = set(range(slot_count)) - set(rng.sample(outside, forbid))
    # A partner in every busy slot: a random perfect matching per slot, no pair twice.
    met = set()
    meetings = []
    for s in range(slot_count):
        active = [i for i in range(people) if s in busy(i)]
        for _ in range(400):
            rng.shuffle(active)
            left = list(active)
            chosen = []
            while left:
                a = left.pop()
                partners = [b for b in left if (min(a, b), max(a, b)) not in met]
                if not partners:
                    break
                b = rng.choice(partners)
                left.remove(b)
                chosen.append((min(a, b), max(a, b)))
            if not left and len(chosen) * 2 == len(active):
                break
        else:
            return None
        for pair in chosen:
            met.add(pair)
            meetings.append((pair, s))
    concurrency = max(sum(1 for _, s in meetings if s == t) for t in range(slot_count))
    if not 125 <= len(meetings) <= 302 or concurrency > 27:
        return None
    tables = max(concurrency, rng.randint(12, 27)) if index % 3 else max(12, concurrency)
    optimum = sum(fewest_breaks(degree[i], available[i], slot_count) for i in range(people))
    planted_breaks = 0
    for i in range(people):
        slots = sorted(s for (pair, s) in meetings if i in pair)
        assert len(slots) == degree[i] or (i in split and len(slots) == degree[i])
        assert all(s in available[i] for s in slots)
        planted_breaks += sum(1 for a, b in zip(slots, slots[1:]) if b > a + 1)
    assert planted_breaks == optimum == split_count, (planted_breaks, optimum, split_count)

    name = f"forum-{index:02d}"
    slot_ids = []
    slot_docs = []
    for s in range(slot_count):
        minutes = 9 * 60 + 20 * s
        hour, minute = divmod(minutes, 60)
        end_hour, end_minute = divmod(minutes + 20, 60)
        slot_id = f"d1-{hour:02d}{minute:02d}"
        slot_ids.append(slot_id)
        slot_docs.append({
            "id": slot_id,
            "start": f"2027-03-16T{hour:02d}:{minute:02d}:00+01:00",
            "end": f"2027-03-16T{end_hour:02d}:{end_minute:02d}:00+01:00",
        })
    ids = [f"p{i + 1:03d}" for i in range(people)]
    participants = []
    for i in range(people):
        participants.append({
            "id": ids[i], "role": "delegate", "name": f"Delegate {i + 1:03d}",
            "organisation": f"Firm {rng.randint(1, 999):03d}",
            "available": [slot_ids[s] for s in sorted(available[i])],
        })
    requests = []
    for (a, b), _ in sorted(meetings):
        sender, receiver = (a, b) if rng.random() < 0.5 else (b, a)
        requests.append({"from": ids[sender], "to": ids[receiver], "priority": rng.choice([1, 1, 2, 3])})
        if rng.random() < 0.15:
            requests.append({"from": ids[receiver], "to": ids[sender], "priority": rng.choice([1, 2])})
    problem = {
        "format": "partnering-problem/1",
        "event": {"name": f"B2B forum, every request held ({name})", "timezone": "Europe/Paris"},
        "slots": slot_docs,
        "tables": [{"id": f"T{t + 1:02d}", "name": f"Table {t + 1}"} for t in range(tables)],
        "policy": {"meet": [["delegate", "delegate"]]},
        "participants": participants,
        "requests": requests,
    }
    weights = {1: 3, 2: 2, 3: 1}
    total = sum(weights[r["priority"]] for r in requests)
    table_of = {}
    planted = []
    for (a, b), s in sorted(meetings, key=lambda m: m[1]):
        table_of[s] = table_of.get(s, 0) + 1
        planted.append({"participants": [ids[a], ids[b]], "slot": slot_ids[s], "table": f"T{table_of[s]:02d}"})
    schedule = {"format": "partnering-schedule/1", "meetings": planted, "objective": total, "upperBound": total}
    figures = {
        "name": name, "participants": people, "meetings": len(meetings), "slots": slot_count,
        "tables": tables, "forbidden": forbid, "weight": total, "breaks": optimum,
    }
    return problem, schedule, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "instances"))
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--planted", help="also write each planted (optimal) schedule to this folder")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    rows = []
    for index in range(1, arguments.count + 1):
        rng = random.Random(arguments.seed * 1000 + index)
        while True:
            result = plan(rng, index)
            if result:
                break
        problem, schedule, figures = result
        with open(os.path.join(arguments.out, f"{figures['name']}.json"), "w") as file:
            json.dump(problem, file, indent=1)
            file.write("\n")
        if arguments.planted:
            os.makedirs(arguments.planted, exist_ok=True)
            with open(os.path.join(arguments.planted, f"{figures['name']}.schedule.json"), "w") as file:
                json.dump(schedule, file)
        rows.append(figures)
    with open(os.path.join(arguments.out, "OPTIMA.md"), "w") as file:
        file.write("# Optima of the forum-* instances\n\n")
        file.write("Written by `bench/generate_forum.py` (seed %d). Every request can be held, so the\n"
                   "optimum weight is the weight of all requests; the optimum breaks are those of the\n"
                   "planted schedule, equal to the per-participant lower bound (proven optimal).\n\n"
                   % arguments.seed)
        file.write("| instance | participants | meetings | slots | tables | forbidden slots each | weight | breaks |\n")
        file.write("|---|---:|---:|---:|---:|---:|---:|---:|\n")
        for row in rows:
            file.write("| {name} | {participants} | {meetings} | {slots} | {tables} | {forbidden} | {weight} | {breaks} |\n"
                       .format(**row))
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
