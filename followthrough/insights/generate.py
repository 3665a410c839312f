"""Synthetic offence records calibrated to published national figures (no real data, ever).

One row per offence with its principal victim and suspect, in the CSV schema of DESIGN.md §5.
Everything is drawn with NumPy in whole columns and written by DuckDB straight from the arrays,
so 10 million rows take seconds. Calibration (see reference.PUBLISHED): victims mostly girls aged
13-15; over half of suspects of known age are children; most suspects known to the victim; group
offending a small minority; offence codes consistent with the victim's age and sex.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from .reference import RELATIONSHIPS

COLUMNS = (
    "crime_ref",
    "recorded_date",
    "offence_code",
    "cse_flag",
    "online_flag",
    "area",
    "victim_age",
    "victim_sex",
    "victim_ethnicity",
    "suspect_age",
    "suspect_sex",
    "suspect_ethnicity",
    "relationship",
    "group_offending",
    "outcome",
)

AREAS = ("North", "South", "East", "West", "Central", "Town Centre", "Rural East", "Rural West")
ETHNICITIES = ("White", "Asian", "Black", "Mixed", "Other")
# Home Office outcome types, shortened (charge/summons/caution 7%; victim withdrew about 20%).
OUTCOMES = (
    ("Charged or summonsed", 0.06),
    ("Caution", 0.01),
    ("Community resolution", 0.01),
    ("Victim does not support", 0.20),
    ("Evidential difficulties", 0.28),
    ("Not in the public interest", 0.04),
    ("No suspect identified", 0.08),
    ("Transferred", 0.05),
    ("Under investigation", 0.27),
)
# Offence mix (VKPP 2023: assault 29%, indecent images 27%, rape 18%, other 26%, spread as in
# the reference note).
KINDS = (
    "rape",
    "assault",
    "images",
    "activity",
    "grooming",
    "exploitation",
    "trust",
    "familial",
    "exposure",
)
KIND_SHARES = (0.18, 0.29, 0.27, 0.12, 0.07, 0.02, 0.01, 0.02, 0.02)
# Victim age by sex: girls peak at 13-15, boys are younger (reference note, ONS/NSPCC).
GIRL_AGES = np.array([1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 6, 7, 8, 14, 16, 15, 10, 6], dtype=float)
BOY_AGES = np.array([1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 7, 7, 7, 8, 8, 7, 5, 3], dtype=float)
# Suspect age band when known: over half children (VKPP 2023).
SUSPECT_BANDS = ((10, 17, 0.53), (18, 24, 0.13), (25, 39, 0.15), (40, 59, 0.13), (60, 85, 0.06))

IntArray = npt.NDArray[np.int64]


def _pick(rng: np.random.Generator, n: int, weights: npt.ArrayLike) -> IntArray:
    """Draw category indices with the given weights, through a lookup table of 10,000 slots
    (weights are kept to 0.01%; far faster than sampling from a CDF)."""
    p = np.asarray(weights, dtype=float)
    slots = np.round(p / p.sum() * 10_000).astype(np.int64)
    slots[np.argmax(slots)] += 10_000 - slots.sum()
    lut = np.repeat(np.arange(len(p), dtype=np.int8), slots)
    return lut[rng.integers(0, len(lut), n, dtype=np.int32)].astype(np.int64)


def generate_columns(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Integer-coded columns; `write_csv` turns them into text."""
    rng = np.random.default_rng(seed)
    n = rows
    kind = _pick(rng, n, KIND_SHARES)
    is_images = kind == KINDS.index("images")
    is_grooming = kind == KINDS.index("grooming")
    # Victim sex: 79% female overall; more boys among image offences.
    p_boy = np.where(is_images, 0.30, 0.17)
    u = rng.random(n)
    vsex = np.where(u < p_boy, 1, 0)
    vsex = np.where(rng.random(n) < 0.003, 2, vsex)  # X
    vsex = np.where(rng.random(n) < 0.002, -1, vsex)  # not recorded
    vage = np.where(vsex == 1, _pick(rng, n, BOY_AGES), _pick(rng, n, GIRL_AGES))
    # Grooming is an offence against under-16s.
    vage = np.where(is_grooming & (vage > 15), rng.integers(12, 16, n), vage)
    vage_known = rng.random(n) >= 0.003
    male = vsex == 1
    under13 = vage < 13
    thirteen15 = (vage >= 13) & (vage <= 15)
    rape = kind == KINDS.index("rape")
    assault = kind == KINDS.index("assault")
    activity = kind == KINDS.index("activity")
    rules = [
        (rape & male & under13, "19H"),
        (rape & male & thirteen15, "19G"),
        (rape & male, "19F"),
        (rape & under13, "19E"),
        (rape & thirteen15, "19D"),
        (rape, "19C"),
        (assault & male & under13, "17B"),
        (assault & male, "17A"),
        (assault & under13, "20B"),
        (assault, "20A"),
        (activity & under13, "21"),
        (activity & thirteen15, "22B"),
        (activity, "73"),  # no child-specific activity code for 16-17s
        (is_images, "86"),
        (is_grooming, "88A"),
        (kind == KINDS.index("exploitation"), "71"),
        (kind == KINDS.index("trust"), "73"),
        (kind == KINDS.index("familial"), "23"),
        (kind == KINDS.index("exposure"), "88E"),
    ]
    codes = sorted({value for _, value in rules})
    code = np.select([m for m, _ in rules], [codes.index(v) for _, v in rules], default=0)
    # A victim of unknown age can only have an offence whose title allows any age.
    any_age = np.isin(code, [codes.index(c) for c in ("86", "71", "73", "23", "88E")])
    vage_known = vage_known | ~any_age
    online = np.where(is_images, rng.random(n) < 0.92, rng.random(n) < 0.04)
    online = np.where(is_grooming, rng.random(n) < 0.95, online)
    cse = rng.random(n) < np.where(vage >= 13, 0.08, 0.03)
    cse = cse | (code == codes.index("71"))
    # Relationship: most suspects are known to the victim; online offences differ.
    rel_contact = _pick(rng, n, [0.33, 0.09, 0.30, 0.05, 0.10, 0.13])
    rel_online = _pick(rng, n, [0.08, 0.04, 0.14, 0.42, 0.14, 0.18])
    relationship = np.where(online, rel_online, rel_contact)
    group = rng.random(n) < 0.045
    band = _pick(rng, n, [b[2] for b in SUSPECT_BANDS])
    lows = np.array([b[0] for b in SUSPECT_BANDS])
    highs = np.array([b[1] for b in SUSPECT_BANDS])
    sage = lows[band] + np.floor(rng.random(n) * (highs[band] - lows[band] + 1)).astype(np.int64)
    sage_known = rng.random(n) >= 0.22
    ssex = _pick(rng, n, [0.09, 0.82, 0.002, 0.088])  # F, M, X, not recorded
    seth = _pick(rng, n, [0.83 * 0.38, 0.07 * 0.38, 0.05 * 0.38, 0.03 * 0.38, 0.02 * 0.38, 0.62])
    veth = _pick(rng, n, [0.75 * 0.7, 0.10 * 0.7, 0.05 * 0.7, 0.07 * 0.7, 0.03 * 0.7, 0.30])
    outcome = _pick(rng, n, [o[1] for o in OUTCOMES])
    # Dates over five years with growth of about 8% a year.
    years = _pick(rng, n, [1.0, 1.08, 1.17, 1.26, 1.36])
    day = np.array([0, 366, 731, 1096, 1461])[years] + np.floor(rng.random(n) * 365).astype(
        np.int64
    )
    return {
        "idx": np.arange(n, dtype=np.int64),
        "day": day.astype(np.int32),
        "code": code.astype(np.int16),
        "cse": cse.astype(np.int8),
        "online": online.astype(np.int8),
        "area": _pick(rng, n, [3, 2, 2, 2, 3, 2, 1, 1]).astype(np.int8),
        "vage": np.where(vage_known, vage, -1).astype(np.int16),
        "vsex": vsex.astype(np.int8),
        "veth": veth.astype(np.int8),
        "sage": np.where(sage_known, sage, -1).astype(np.int16),
        "ssex": ssex.astype(np.int8),
        "seth": seth.astype(np.int8),
        "rel": relationship.astype(np.int8),
        "grp": group.astype(np.int8),
        "outcome": outcome.astype(np.int8),
        "_codes": np.asarray(codes),
    }


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def write_csv(rows: int, seed: int, out: Path | str, *, start: str = "2019-01-01") -> int:
    """Generate `rows` offence records with `seed` and write them as CSV to `out`."""
    cols = generate_columns(rows, seed)
    codes = [str(c) for c in cols.pop("_codes")]
    frame = cols  # DuckDB scans a dict of NumPy arrays in place
    width = max(8, len(str(rows - 1)))  # lpad truncates, so never narrower than the count
    query = f"""
        SELECT
          'S{seed}-' || lpad(idx::VARCHAR, {width}, '0') AS crime_ref,
          (DATE '{start}' + day)::DATE AS recorded_date,
          {_sql_list(codes)}[code + 1] AS offence_code,
          CASE WHEN cse = 1 THEN 'Y' ELSE 'N' END AS cse_flag,
          CASE WHEN online = 1 THEN 'Y' ELSE 'N' END AS online_flag,
          {_sql_list(AREAS)}[area + 1] AS area,
          CASE WHEN vage >= 0 THEN vage END AS victim_age,
          CASE WHEN vsex >= 0 THEN ['F', 'M', 'X'][vsex + 1] END AS victim_sex,
          {_sql_list(ETHNICITIES)}[veth + 1] AS victim_ethnicity,
          CASE WHEN sage >= 0 THEN sage END AS suspect_age,
          ['F', 'M', 'X'][ssex + 1] AS suspect_sex,
          {_sql_list(ETHNICITIES)}[seth + 1] AS suspect_ethnicity,
          {_sql_list(RELATIONSHIPS)}[rel + 1] AS relationship,
          CASE WHEN grp = 1 THEN 'Y' ELSE 'N' END AS group_offending,
          {_sql_list([o[0] for o in OUTCOMES])}[outcome + 1] AS outcome
        FROM frame
    """  # noqa: S608 - built from our own constants
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("frame", frame)  # type: ignore[arg-type]
        con.execute(f"COPY ({query}) TO '{_quote_path(out)}' (HEADER, DELIMITER ',')")
    finally:
        con.close()
    return rows


def _quote_path(path: Path) -> str:
    return str(path).replace("'", "''")
