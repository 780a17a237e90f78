/** What a column's values look like: the schema a dataset version records. */
export type InferredType = 'empty' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'string' | 'json';

const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The type of one non-missing, non-numeric text value. */
export function textType(text: string): InferredType {
  if (BOOLEAN.test(text)) return 'boolean';
  if (DATE.test(text)) return 'date';
  return TIMESTAMP.test(text) ? 'timestamp' : 'string';
}

/** The type of one non-missing value that is not a number (a JSON Lines or Parquet cell). */
export function valueType(value: unknown): InferredType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return textType(value);
  return typeof value === 'object' ? 'json' : 'string';
}

/** The narrowest type that holds values of both types; anything incompatible is text. */
export function widenType(a: InferredType, b: InferredType): InferredType {
  if (a === b || b === 'empty') return a;
  if (a === 'empty') return b;
  const both = (x: InferredType, y: InferredType) => (a === x && b === y) || (a === y && b === x);
  if (both('integer', 'number')) return 'number';
  if (both('date', 'timestamp')) return 'timestamp';
  return 'string';
}
