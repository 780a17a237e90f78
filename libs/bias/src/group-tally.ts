/** Counts for one group of rows: everything the metrics need, so a file of any size is read once. */
export interface GroupTally {
  rows: number;
  /** Rows per label value (as text). */
  readonly labels: Map<string, number>;
  /** Confusion counts against the positive value; only filled when there is a prediction column. */
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  trueNegative: number;
}

export function emptyTally(): GroupTally {
  return { rows: 0, labels: new Map(), truePositive: 0, falsePositive: 0, falseNegative: 0, trueNegative: 0 };
}

/** Adds one row with label text `label` and, when there is one, whether it was predicted positive. */
export function countRow(tally: GroupTally, label: string, isPositive: boolean, predictedPositive: boolean | null): void {
  tally.rows += 1;
  tally.labels.set(label, (tally.labels.get(label) ?? 0) + 1);
  if (predictedPositive === null) return;
  if (isPositive) {
    if (predictedPositive) tally.truePositive += 1;
    else tally.falseNegative += 1;
  } else if (predictedPositive) tally.falsePositive += 1;
  else tally.trueNegative += 1;
}

export function sumTallies(tallies: Iterable<GroupTally>): GroupTally {
  const total = emptyTally();
  for (const tally of tallies) {
    total.rows += tally.rows;
    for (const [label, count] of tally.labels) total.labels.set(label, (total.labels.get(label) ?? 0) + count);
    total.truePositive += tally.truePositive;
    total.falsePositive += tally.falsePositive;
    total.falseNegative += tally.falseNegative;
    total.trueNegative += tally.trueNegative;
  }
  return total;
}

/** The rows of `total` that are not in `part`: the "every other row" side of a comparison. */
export function subtractTally(total: GroupTally, part: GroupTally): GroupTally {
  const labels = new Map<string, number>();
  for (const [label, count] of total.labels) labels.set(label, count - (part.labels.get(label) ?? 0));
  return {
    rows: total.rows - part.rows,
    labels,
    truePositive: total.truePositive - part.truePositive,
    falsePositive: total.falsePositive - part.falsePositive,
    falseNegative: total.falseNegative - part.falseNegative,
    trueNegative: total.trueNegative - part.trueNegative,
  };
}
