// Writes the dataset benchmark's CSV: 20 numeric columns (10 decimals with 3 places, 10 integers) and
// 5 categorical ones (2 to 40 values), rows from a seeded generator, until the file reaches the size.
// Run by benchmarks/dataset.bench.ts in its own process, so that generating adds nothing to its peak RSS.
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from '@mgov/testing';

const [path, sizeText] = process.argv.slice(2);
const target = Number(sizeText);
const CATEGORIES = [
  ['north', 'south', 'east', 'west'], ['a', 'b', 'c'], ['retail', 'corporate', 'sme', 'public', 'ngo'], ['yes', 'no'],
  Array.from({ length: 40 }, (_, i) => `segment-${i}`),
];
const header = [...Array.from({ length: 20 }, (_, i) => `x${i}`), 'region', 'grade', 'sector', 'flag', 'segment'].join(',');

const uniform = seededRandom(0x2545f491);

const fd = openSync(path!, 'w');
let written = writeSync(fd, `${header}\n`);
while (written < target) {
  const lines: string[] = [];
  for (let row = 0; row < 4096; row += 1) {
    const fields: string[] = [];
    for (let i = 0; i < 10; i += 1) fields.push((uniform() * 10 ** (1 + (i % 4)) - 5).toFixed(3));
    for (let i = 0; i < 10; i += 1) fields.push(String(Math.floor(uniform() * 10 ** (2 + (i % 5)))));
    for (const values of CATEGORIES) fields.push(values[Math.floor(uniform() * values.length)]!);
    lines.push(fields.join(','));
  }
  const chunk = Buffer.from(`${lines.join('\n')}\n`);
  // The last chunk is cut at a line end so the file stays valid CSV.
  const room = target - written;
  written += writeSync(fd, chunk.length <= room ? chunk : chunk.subarray(0, chunk.lastIndexOf(0x0a, room) + 1 || chunk.indexOf(0x0a) + 1));
}
closeSync(fd);
