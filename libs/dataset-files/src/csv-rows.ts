import { type CsvReadOptions, scanCsvChunks } from './csv-file';
import { fieldText } from './csv-record';

export type { CsvReadOptions } from './csv-file';

/** Records of a UTF-8 CSV file with a header line, streamed; every value is the field's text. */
export async function* readCsvRows(path: string, options: CsvReadOptions = {}): AsyncGenerator<Record<string, string>> {
  let header: readonly string[] = [];
  let pending: Record<string, string>[] = [];
  const chunks = scanCsvChunks(path, {
    header: (names) => {
      header = names;
    },
    record: (record) => {
      const row: Record<string, string> = {};
      for (let i = 0; i < header.length; i += 1) row[header[i]!] = fieldText(record, i);
      pending.push(row);
    },
  }, options);
  for await (const rowsSoFar of chunks) {
    if (rowsSoFar === 0 && pending.length === 0) continue;
    const ready = pending;
    pending = [];
    yield* ready;
  }
}
