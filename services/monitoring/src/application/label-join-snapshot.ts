import { type IdKey, LabelJoin } from './label-join';

const FORMAT = 1;

/** The snapshot's tables: what the columns' small integers stand for. */
interface Header {
  readonly format: number;
  readonly classes: readonly string[];
  readonly groups: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly models: ReadonlyArray<readonly [string, number]>;
  readonly predictions: number;
  readonly outcomes: number;
  readonly expired: number;
}

/** Small integers for repeated values, in first-seen order. */
class Table<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  of(value: T, key = JSON.stringify(value)): number {
    let i = this.index.get(key);
    if (i === undefined) this.index.set(key, (i = this.values.push(value) - 1));
    return i;
  }
}

function int32s(values: readonly number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
}

function float64s(values: readonly number[]): Buffer {
  const out = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => out.writeDoubleLE(v, i * 8));
  return out;
}

/**
 * Everything a join holds, as bytes: a JSON header with the tables of classes, protected groups
 * and model versions, then one column per field (little-endian int32 or float64), oldest first.
 * A service saves it when it stops and restores it when it starts.
 */
export function saveLabelJoin(join: LabelJoin): Buffer {
  const classes = new Table<string>();
  const groups = new Table<Readonly<Record<string, string>>>();
  const models = new Table<readonly [string, number]>();
  const p = { a: [] as number[], b: [] as number[], time: [] as number[], predicted: [] as number[], score: [] as number[], group: [] as number[], model: [] as number[] };
  for (const { key, label } of join.waitingPredictions()) {
    p.a.push(key.a);
    p.b.push(key.b);
    p.time.push(label.eventTime);
    p.predicted.push(label.predictedClass === null ? -1 : classes.of(label.predictedClass));
    p.score.push(label.score ?? Number.NaN);
    p.group.push(groups.of(label.protectedAttributes));
    p.model.push(models.of([label.modelName, label.modelVersion]));
  }
  const o = { a: [] as number[], b: [] as number[], time: [] as number[], truth: [] as number[] };
  for (const { key, truth, eventTime } of join.waitingOutcomes()) {
    o.a.push(key.a);
    o.b.push(key.b);
    o.time.push(eventTime);
    o.truth.push(classes.of(truth));
  }
  const header: Header = {
    format: FORMAT, classes: classes.values, groups: groups.values, models: models.values, predictions: p.a.length, outcomes: o.a.length, expired: join.expired,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([
    length, json,
    int32s(p.a), int32s(p.b), float64s(p.time), int32s(p.predicted), float64s(p.score), int32s(p.group), int32s(p.model),
    int32s(o.a), int32s(o.b), float64s(o.time), int32s(o.truth),
  ]);
}

/** A join holding what `saveLabelJoin` saved (within `capacity`: the newest are kept). */
export function restoreLabelJoin(bytes: Buffer, horizonMs: number, capacity: number): LabelJoin {
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Header;
  if (header.format !== FORMAT) throw new Error(`label join snapshot format ${header.format} is not ${FORMAT}`);
  let at = 4 + headerLength;
  const column = (n: number, width: 4 | 8): number[] => {
    const values = Array.from({ length: n }, (_, i) => (width === 4 ? bytes.readInt32LE(at + i * 4) : bytes.readDoubleLE(at + i * 8)));
    at += n * width;
    return values;
  };
  const int32 = (n: number) => column(n, 4);
  const float64 = (n: number) => column(n, 8);
  const n = header.predictions;
  const [a, b, time, predicted, score, group, model] = [int32(n), int32(n), float64(n), int32(n), float64(n), int32(n), int32(n)];
  const m = header.outcomes;
  const [outcomeA, outcomeB, outcomeTime, truth] = [int32(m), int32(m), float64(m), int32(m)];
  const join = new LabelJoin(horizonMs, capacity);
  join.expired = header.expired;
  const modelIndex = header.models.map(([name, version]) => join.modelIndex(name, version));
  const key: IdKey = { a: 0, b: 0 };
  for (let i = 0; i < n; i += 1) {
    key.a = a[i]!;
    key.b = b[i]!;
    join.prediction(key, {
      model: modelIndex[model[i]!]!, eventTime: time[i]!, predictedClass: header.classes[predicted[i]!] ?? null,
      score: Number.isNaN(score[i]) ? null : score[i]!, protectedAttributes: header.groups[group[i]!] ?? {},
    });
  }
  for (let i = 0; i < m; i += 1) {
    key.a = outcomeA[i]!;
    key.b = outcomeB[i]!;
    join.outcome(key, header.classes[truth[i]!]!, outcomeTime[i]!);
  }
  return join;
}
