// SMS routing rules: which account sends to which destination (and app), and which account takes over when it fails.

export interface Route {
  id: string;
  /** Evaluation order, 1 first. */
  position: number;
  /** ISO 3166-1 alpha-2 of the destination; null: any country. */
  country: string | null;
  /** E.164 prefix of the destination (`+8613`); null: any number. */
  prefix: string | null;
  /** Only messages for this app; null: any app (and messages with no app). */
  clientId: string | null;
  accountId: string;
  /** The account a failed message is sent again through, once; null: no failover. */
  fallbackAccountId: string | null;
  note: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What a rule is matched against. */
export interface Destination {
  to: string;
  country: string | null;
  clientId: string | null | undefined;
}
