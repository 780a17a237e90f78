import type { SchemaVersion } from './schema-catalog';

type AvroSchema = string | AvroSchema[] | { type: string; [key: string]: unknown };
interface AvroField {
  name: string;
  type: AvroSchema;
  doc?: string;
}

const PRIMITIVES: Record<string, string> = {
  null: 'null', string: 'string', boolean: 'boolean', int: 'number', long: 'number',
  float: 'number', double: 'number', bytes: 'Buffer',
};

const shortName = (name: string) => name.split('.').pop() as string;

/** Renders the TypeScript types of the newest version of every record in the catalog. */
export function renderTypeScript(latest: readonly SchemaVersion[]): string {
  const declared = new Map<string, string>();
  const typeOf = (schema: AvroSchema): string => {
    if (typeof schema === 'string') return PRIMITIVES[schema] ?? shortName(schema);
    if (Array.isArray(schema)) return schema.map(typeOf).join(' | ');
    switch (schema.type) {
      case 'array': return `ReadonlyArray<${typeOf(schema.items as AvroSchema)}>`;
      case 'map': return `Readonly<Record<string, ${typeOf(schema.values as AvroSchema)}>>`;
      case 'enum': return declare(schema.name as string, `export type ${shortName(schema.name as string)} = ${(schema.symbols as string[]).map((s) => `'${s}'`).join(' | ')};`);
      case 'record': return declare(schema.name as string, renderRecord(schema.name as string, schema.fields as AvroField[]));
      default: return PRIMITIVES[schema.type] ?? shortName(schema.type);
    }
  };
  const declare = (name: string, body: string | (() => string)): string => {
    const short = shortName(name);
    if (!declared.has(short)) {
      declared.set(short, '');
      declared.set(short, typeof body === 'string' ? body : body());
    }
    return short;
  };
  const renderRecord = (name: string, fields: AvroField[]) => () => {
    const lines = fields.map((f) => `  readonly ${f.name}: ${typeOf(f.type)};`);
    return `export interface ${shortName(name)} {\n${lines.join('\n')}\n}`;
  };

  const events: Array<{ name: string; context: string }> = [];
  for (const version of [...latest].sort((a, b) => a.file.localeCompare(b.file))) {
    const schema = version.type.schema() as { name: string; fields: AvroField[] };
    const isEvent = schema.fields?.[0]?.name === 'envelope' && schema.fields[1]?.name === 'data';
    if (!isEvent) {
      typeOf(schema as unknown as AvroSchema);
      continue;
    }
    typeOf(schema.fields[0].type);
    const dataType = typeOf(schema.fields[1].type);
    declare(`${version.name}`, `export interface ${version.name} {\n  readonly type: '${version.name}';\n  readonly data: ${dataType};\n}`);
    events.push({ name: version.name, context: version.context });
  }

  const contexts = [...new Set(events.map((e) => e.context))];
  const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);
  const unions = contexts.map((c) => `export type ${pascal(c)}Event =\n${events.filter((e) => e.context === c).map((e) => `  | ${e.name}`).join('\n')};`);
  return [
    '// Generated from proto/ by `npm run contracts:generate`; do not edit. A test fails when it is stale.',
    ...[...declared.values()],
    ...unions,
    `export type DomainEvent =\n${contexts.map((c) => `  | ${pascal(c)}Event`).join('\n')};`,
    "export type EventType = DomainEvent['type'];",
    `export type EventContext = ${contexts.map((c) => `'${c}'`).join(' | ')};`,
    `export const EVENT_CONTEXT: Readonly<Record<EventType, EventContext>> = {\n${events.map((e) => `  ${e.name}: '${e.context}',`).join('\n')}\n};`,
    '',
  ].join('\n\n');
}
