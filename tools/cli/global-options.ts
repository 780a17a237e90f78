import { type Command, Option } from 'commander';
import { MgovApi } from './api-client';
import { httpUrl } from './arguments';
import { FORMATS, type Format, Output } from './output';

export const DEFAULT_URL = 'http://localhost:8080';
const GLOBAL_KEYS = ['url', 'format', 'token'] as const;
type GlobalKey = (typeof GLOBAL_KEYS)[number];
type GlobalValues = Partial<Record<GlobalKey, string>>;

/** What a command needs to run: a client for the chosen server and caller, and where answers go. */
export interface Cli {
  readonly api: MgovApi;
  readonly out: Output;
}

function globalOption(key: GlobalKey, onProgram: boolean): Option {
  switch (key) {
    case 'url': {
      const option = new Option('--url <url>', 'MGov base URL').argParser(httpUrl);
      return onProgram ? option.env('MGOV_URL').default(DEFAULT_URL) : option;
    }
    case 'format': {
      const option = new Option('--format <format>', 'output format').choices(FORMATS);
      return onProgram ? option.default(process.stdout.isTTY ? 'table' : 'json', 'table on a terminal, json otherwise') : option;
    }
    case 'token': {
      const option = new Option('--token <token>', 'API key or JWT (sent as Authorization: Bearer)');
      return onProgram ? option.env('MGOV_TOKEN') : option;
    }
    default: {
      const unknownKey: never = key;
      throw new Error(`no global option ${String(unknownKey)}`);
    }
  }
}

/** The program's own global options, with their defaults and environment variables. */
export function addProgramOptions(program: Command): Command {
  for (const key of GLOBAL_KEYS) program.addOption(globalOption(key, true));
  return program;
}

const leafGlobals = new WeakMap<Command, ReadonlySet<GlobalKey>>();

/** A leaf command; it gets the global options too, once its own are declared (see addLeafGlobalOptions). */
export function leaf(parent: Command, nameAndArgs: string, description: string, except: readonly GlobalKey[] = []): Command {
  const command = parent.command(nameAndArgs).description(description);
  leafGlobals.set(command, new Set(GLOBAL_KEYS.filter((key) => !except.includes(key))));
  return command;
}

/**
 * Program options are positional (they must precede the subcommand, so `audit events --actor` can
 * filter by actor); repeating them on each leaf lets them follow the command too, as people type them.
 */
export function addLeafGlobalOptions(command: Command): void {
  for (const key of leafGlobals.get(command) ?? []) {
    command.addOption(globalOption(key, false).helpGroup('Global Options (may also precede the command; defaults: mgov --help):'));
  }
  for (const sub of command.commands) addLeafGlobalOptions(sub);
}

export function cliOf(command: Command): Cli {
  let root = command;
  while (root.parent) root = root.parent;
  const shared = root.opts<GlobalValues>();
  const own = command.opts<GlobalValues>();
  const local = leafGlobals.get(command) ?? new Set<GlobalKey>();
  const value = (key: GlobalKey) => (local.has(key) ? own[key] : undefined) ?? shared[key];
  return {
    api: new MgovApi(value('url') ?? DEFAULT_URL, { token: value('token') }),
    out: new Output((value('format') ?? 'json') as Format),
  };
}
