/** Plain JSON details of an audit event; never a secret value. */
export type AuditDetails = Readonly<Record<string, unknown>>;

/** Who did what and when; one document per event (no arrays grow). */
export interface AuditEvent {
  readonly id: string;
  readonly workspaceId: string;
  readonly configurationId: string | null;
  /** User id, or "system" for the scheduler. */
  readonly actorId: string;
  /** e.g. "configuration.created", "configuration.shared". */
  readonly action: string;
  readonly details: AuditDetails;
  readonly at: Date;
}

export interface NewAuditEvent {
  readonly workspaceId: string;
  readonly configurationId?: string | null;
  readonly actorId: string;
  readonly action: string;
  readonly details?: AuditDetails;
  /** Defaults to the store's clock. */
  readonly at?: Date;
}

export interface ListAuditQuery {
  readonly workspaceId: string;
  /** Only events of this configuration. */
  readonly configurationId?: string;
  /** 'asc' (default): oldest first, the order things happened; 'desc': newest first. */
  readonly order?: 'asc' | 'desc';
  /** Default 100. */
  readonly limit?: number;
}

/** Append-only. Events appended in sequence list in that sequence, even within one millisecond. */
export interface AuditRepository {
  append(event: NewAuditEvent): Promise<AuditEvent>;
  list(query: ListAuditQuery): Promise<AuditEvent[]>;
}
