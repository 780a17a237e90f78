export const FORMATS = ['json', 'table'] as const;
export type Format = (typeof FORMATS)[number];

/** How a command's answer reads as a table; json always prints the server's body as it came. */
export type TableView<T> = (body: T) => string;

export class Output {
  constructor(readonly format: Format) {}

  show<T>(body: T, view: TableView<T>): void {
    if (this.format === 'table') {
      process.stdout.write(`${view(body)}\n`);
      return;
    }
    process.stdout.write(`${JSON.stringify(body, null, process.stdout.isTTY ? 2 : undefined)}\n`);
  }

  /** Hints for a person (next page, progress); stderr, so stdout stays the answer. */
  note(message: string): void {
    process.stderr.write(`${message}\n`);
  }
}
