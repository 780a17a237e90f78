/** Replaces every digit but the last `keep` with `*`, keeping separators, so the shape still shows. */
export function maskDigits(text: string, keep: number): string {
  let digitsLeft = (text.match(/\d/g) ?? []).length;
  return text.replace(/\d/g, (digit) => (digitsLeft-- > keep ? '*' : digit));
}

/** Keeps the first half of the characters (rounded down) and masks the rest: "London" → "Lon***", "F" → "*". */
export function maskTail(text: string): string {
  const characters = [...text];
  const keep = Math.floor(characters.length / 2);
  return characters.slice(0, keep).join('') + '*'.repeat(characters.length - keep);
}
