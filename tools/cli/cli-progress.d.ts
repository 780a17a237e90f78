// The part of cli-progress the CLI uses (the package ships no types).
declare module 'cli-progress' {
  export interface Options {
    format?: string;
    stream?: NodeJS.WritableStream;
    hideCursor?: boolean;
    clearOnComplete?: boolean;
    etaBuffer?: number;
  }
  export type Preset = Options;
  export const Presets: { readonly shades_classic: Preset; readonly legacy: Preset; readonly rect: Preset };
  export class SingleBar {
    constructor(options: Options, preset?: Preset);
    start(total: number, startValue: number, payload?: object): void;
    increment(step?: number, payload?: object): void;
    stop(): void;
  }
}
