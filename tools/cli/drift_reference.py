"""The `mgov drift` statistics computed with numpy and scipy, for tools/cli/drift-scipy.e2e.spec.ts.

Usage: python3 drift_reference.py REFERENCE CURRENT CATEGORICAL_COMMA_LIST
Prints one JSON object: {column: {type, stats...}}.
"""
import csv
import json
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance


def read(path):
    if path.endswith('.csv'):
        with open(path, newline='', encoding='utf-8') as f:
            return list(csv.DictReader(f))
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def as_text(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return v if v.strip() != '' else None


def as_number(text):
    try:
        x = float(text)
    except ValueError:
        return None
    return x if np.isfinite(x) and text.strip().lower() not in ('nan', 'inf', '-inf', 'infinity') else None


def column(rows, name):
    texts = [t for t in (as_text(r.get(name)) for r in rows) if t is not None]
    numbers = [as_number(t) for t in texts]
    return texts, numbers


def main():
    ref_rows, cur_rows = read(sys.argv[1]), read(sys.argv[2])
    categorical = [c for c in sys.argv[3].split(',') if c]
    names = [n for n in ref_rows[0].keys() if n in cur_rows[0]]
    out = {}
    for name in names:
        rt, rn = column(ref_rows, name)
        ct, cn = column(cur_rows, name)
        is_cat = name in categorical or None in rn or None in cn or len(set(rn)) <= 5
        if is_cat:
            cats = sorted(set(rt) | set(ct))
            r = np.array([rt.count(c) for c in cats], dtype=float)
            c = np.array([ct.count(k) for k in cats], dtype=float)
            rp, cp = r / r.sum(), c / c.sum()
            if (r == 0).any() and (c[r == 0] > 0).any():
                chi2 = 0.0
            else:
                keep = r > 0
                chi2 = float(stats.chisquare(c[keep], rp[keep] * c.sum()).pvalue)
            psi = float(np.sum((np.where(cp == 0, 1e-4, cp) - np.where(rp == 0, 1e-4, rp)) * np.log(np.where(cp == 0, 1e-4, cp) / np.where(rp == 0, 1e-4, rp))))
            out[name] = {'type': 'categorical', 'psi': psi, 'jensenshannon': float(distance.jensenshannon(rp, cp)), 'chi2_p_value': chi2}
            continue
        ref, cur = np.array(rn), np.array(cn)
        ks = stats.ks_2samp(ref, cur, method='asymp')
        edges = np.quantile(ref, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        r = np.bincount(np.searchsorted(edges, ref, side='left'), minlength=10).astype(float)
        c = np.bincount(np.searchsorted(edges, cur, side='left'), minlength=10).astype(float)
        rp, cp = r / r.sum(), c / c.sum()
        rq, cq = np.where(rp == 0, 1e-4, rp), np.where(cp == 0, 1e-4, cp)
        out[name] = {
            'type': 'numerical',
            'ks_statistic': float(ks.statistic),
            'ks_p_value': float(ks.pvalue),
            'wasserstein_normed': float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
            'psi': float(np.sum((cq - rq) * np.log(cq / rq))),
            'jensenshannon': float(distance.jensenshannon(rp, cp)),
        }
    print(json.dumps(out))


main()
