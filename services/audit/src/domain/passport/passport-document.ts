/** One ledger event as the passport sees it (a subset of the audit API's event). */
export interface PassportEvent {
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly streamId: string;
  readonly links: readonly string[];
  readonly data: unknown;
}

/** Content that every output format can render: the JSON form is these blocks themselves. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'facts'; readonly facts: readonly (readonly [label: string, value: string])[] }
  | { readonly kind: 'table'; readonly caption?: string; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };

export interface PassportSection {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
  /** The ledger events this section was built from (its evidence). */
  readonly eventIds: readonly string[];
}

/** How far the passport's events can be trusted, as checked when it was built. */
export interface PassportVerification {
  readonly ok: boolean;
  /** Each event's own hash, its links to its ledger neighbours and its searchable columns. */
  readonly events: { readonly checked: number; readonly ok: boolean; readonly firstBroken?: { readonly position: string; readonly reason: string } };
  /** The newest signed ledger digest, re-checked against the ledger; null when none covers these events. */
  readonly digest: null | { readonly position: string; readonly at: string; readonly keyId: string; readonly ok: boolean; readonly reason?: string };
  readonly note: string;
}

export interface PassportDocument {
  readonly title: string;
  readonly modelVersion: string;
  readonly generatedAt: string;
  readonly summary: Block;
  readonly sections: readonly PassportSection[];
  readonly verification: PassportVerification;
}
