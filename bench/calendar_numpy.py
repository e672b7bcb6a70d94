#!/usr/bin/python3
"""The reference for bench/calendar: numpy's busday_offset on the same pairs.

Usage: calendar_numpy.py PAIRS HOLIDAYS OUT
  PAIRS     binary int32 pairs (date as days since 1970-01-01, n working days)
  HOLIDAYS  one YYYY-MM-DD per line: every Monday-Friday that is not a working day
  OUT       binary int32 answers, one per pair
Prints one line: "numpy <pairs> <seconds>".
"""
import sys
import time

import numpy as np


def main():
    pairs = np.fromfile(sys.argv[1], dtype=np.int32).reshape(-1, 2)
    with open(sys.argv[2]) as f:
        holidays = np.array([line.strip() for line in f if line.strip()], dtype="datetime64[D]")
    dates = pairs[:, 0].astype("datetime64[D]")
    counts = pairs[:, 1]
    cal = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    start = time.perf_counter()
    # roll="backward" then +n is "the n-th working day after the date" for n >= 1.
    out = np.busday_offset(dates, counts, roll="backward", busdaycal=cal)
    seconds = time.perf_counter() - start
    out.astype(np.int64).astype(np.int32).tofile(sys.argv[3])
    print(f"numpy {len(pairs)} {seconds:.6f}")


if __name__ == "__main__":
    main()
