// Error catalogue of the db package (SM_DB_*).

export type DbErrorCode =
  | 'SM_DB_QUERY' // a statement failed
  | 'SM_DB_MIGRATION' // a migration failed
  | 'SM_DB_TOO_MANY_ROWS'
  | 'SM_DB_TOKEN_NAME_TAKEN' // a proxy token of that name exists
  | 'SM_DB_URL' // DATABASE_URL is not a PostgreSQL URL
  | 'SM_DB_CONNECT' // the first connection to the server failed
  | 'SM_DB_LOCKED' // the PGlite data directory is held by another process
  | 'SM_DB_LEASE_LOST' // an aggregator's ingest ran without the lease (rolled back)
  | 'SM_DB_LEASE_MISSING'; // the aggregator_lease row is not there (migrations not run)

export class DbError extends Error {
  readonly code: DbErrorCode;
  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbError';
    this.code = code;
  }

  static fromQuery(sql: string, cause: unknown): DbError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const statement = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
    return new DbError('SM_DB_QUERY', `${reason} (in: ${statement})`, { cause });
  }
}
