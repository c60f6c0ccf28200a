// Error catalogue of the db package (SM_DB_*).

export type DbErrorCode =
  | 'SM_DB_QUERY'
  | 'SM_DB_MIGRATION'
  | 'SM_DB_TOO_MANY_ROWS'
  | 'SM_DB_TOKEN_NAME_TAKEN';

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
