import { DomainError } from '@mgov/decider';

export type EntityKind = 'metric' | 'param' | 'tag' | 'attribute';
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE';

export interface Condition {
  readonly kind: EntityKind;
  readonly key: string;
  readonly comparator: Comparator;
  readonly value: string | number;
}

export interface OrderTerm {
  readonly kind: EntityKind;
  readonly key: string;
  readonly ascending: boolean;
}

const bad = (message: string) => new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', message, 400);

const KINDS: Readonly<Record<string, EntityKind>> = {
  metric: 'metric', metrics: 'metric', param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag', attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
};
/** MLflow's searchable run attributes (start_time and friends are numeric). */
export const ATTRIBUTES: Readonly<Record<string, 'string' | 'number'>> = {
  run_id: 'string', run_name: 'string', status: 'string', user_id: 'string', artifact_uri: 'string', lifecycle_stage: 'string',
  start_time: 'number', end_time: 'number', created: 'number', 'Created': 'number',
};
const COMPARATORS = ['>=', '<=', '!=', '=', '>', '<'] as const;

type Token = { kind: 'word' | 'string' | 'op' | 'number'; text: string; quoted?: boolean };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'" || c === '"' || c === '`') {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw bad(`unterminated ${c} quote at position ${i} of the filter`);
      tokens.push({ kind: c === '`' ? 'word' : 'string', text: input.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    const op = COMPARATORS.find((candidate) => input.startsWith(candidate, i));
    if (op) { tokens.push({ kind: 'op', text: op }); i += op.length; continue; }
    const word = /^[A-Za-z0-9_.\-+:/]+/.exec(input.slice(i));
    if (!word) throw bad(`unexpected character '${c}' at position ${i} of the filter`);
    const text = word[0];
    tokens.push({ kind: /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? 'number' : 'word', text });
    i += text.length;
  }
  return tokens;
}

/** `metrics.acc`, `params.\`my key\``, `tags."x"`, or a bare attribute; consumes the tokens it reads. */
function identifier(tokens: Token[], at: number): { kind: EntityKind; key: string; next: number } {
  const token = tokens[at];
  if (!token || token.kind !== 'word') throw bad(`expected an identifier such as metrics.<key> at token ${at + 1} of the filter`);
  const dot = token.text.indexOf('.');
  if (dot < 0 || token.quoted) {
    if (ATTRIBUTES[token.text]) return { kind: 'attribute', key: token.text, next: at + 1 };
    throw bad(`'${token.text}' is not metrics.<key>, params.<key>, tags.<key> or attributes.<name>`);
  }
  const prefix = token.text.slice(0, dot);
  const kind = KINDS[prefix];
  if (!kind) throw bad(`unknown entity type '${prefix}': use metrics., params., tags. or attributes.`);
  let key = token.text.slice(dot + 1);
  let next = at + 1;
  // `metrics.` followed by a quoted key (backticks or double quotes)
  if (key === '' && tokens[next]?.quoted) { key = tokens[next].text; next += 1; }
  if (key === '') throw bad(`'${token.text}' names no key`);
  if (kind === 'attribute' && !ATTRIBUTES[key]) throw bad(`unknown run attribute '${key}'; searchable: ${Object.keys(ATTRIBUTES).join(', ')}`);
  return { kind, key: kind === 'attribute' && key === 'Created' ? 'created' : key, next };
}

/** MLflow's search filter: comparisons joined by AND. */
export function parseFilter(filter: string | undefined | null): Condition[] {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const conditions: Condition[] = [];
  let at = 0;
  for (;;) {
    const { kind, key, next } = identifier(tokens, at);
    const opToken = tokens[next];
    const upper = opToken?.text.toUpperCase();
    const comparator = (opToken?.kind === 'op' ? opToken.text : upper === 'LIKE' || upper === 'ILIKE' ? upper : undefined) as Comparator | undefined;
    if (!comparator) throw bad(`expected a comparison (= != > >= < <= LIKE ILIKE) after ${kind}s.${key}`);
    const valueToken = tokens[next + 1];
    if (!valueToken || (valueToken.kind !== 'string' && valueToken.kind !== 'number')) throw bad(`expected a value after ${kind}s.${key} ${comparator}`);
    const numeric = kind === 'metric' || (kind === 'attribute' && ATTRIBUTES[key] === 'number');
    if (numeric) {
      if (valueToken.kind !== 'number') throw bad(`${kind === 'metric' ? 'metrics' : 'attributes'}.${key} compares with a number, not '${valueToken.text}'`);
      if (comparator === 'LIKE' || comparator === 'ILIKE') throw bad(`${comparator} applies to strings, not to ${kind}s.${key}`);
    } else {
      if (valueToken.kind !== 'string') throw bad(`${kind}s.${key} compares with a quoted string, not ${valueToken.text}`);
      if (!['=', '!=', 'LIKE', 'ILIKE'].includes(comparator)) throw bad(`${kind}s.${key} supports = != LIKE ILIKE, not ${comparator}`);
    }
    conditions.push({ kind, key, comparator, value: numeric ? Number(valueToken.text) : valueToken.text });
    at = next + 2;
    if (at >= tokens.length) return conditions;
    if (tokens[at].kind !== 'word' || tokens[at].text.toUpperCase() !== 'AND') throw bad(`expected AND after a comparison, found '${tokens[at].text}' (OR is not supported)`);
    at += 1;
  }
}

/** `metrics.acc DESC`, `attributes.start_time`, `params.\`lr\` ASC`. */
export function parseOrderBy(clauses: readonly string[] | undefined): OrderTerm[] {
  return (clauses ?? []).map((clause) => {
    const tokens = tokenize(clause);
    const { kind, key, next } = identifier(tokens, 0);
    const direction = tokens[next]?.text.toUpperCase();
    if (tokens.length > next + 1 || (direction !== undefined && direction !== 'ASC' && direction !== 'DESC')) {
      throw bad(`invalid order_by clause '${clause}': expected <identifier> [ASC|DESC]`);
    }
    return { kind, key, ascending: direction !== 'DESC' };
  });
}
