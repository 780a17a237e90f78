/** Keeps the last `lines` lines of a stream of chunks, without holding the rest. */
export class LogTail {
  private readonly kept: string[] = [];
  private partial = '';

  constructor(private readonly lines: number) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.kept.push(...parts);
    if (this.kept.length > this.lines) this.kept.splice(0, this.kept.length - this.lines);
    if (this.partial.length > 4096) this.partial = this.partial.slice(-4096);
  }

  toString(): string {
    return [...this.kept, ...(this.partial ? [this.partial] : [])].slice(-this.lines).join('\n');
  }
}
