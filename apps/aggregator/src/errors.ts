// Error catalogue of the aggregator (SM_SOURCE_*): every failed source fetch carries one of these codes.

export type SourceErrorCode =
  | 'SM_SOURCE_HTTP' // non-2xx status
  | 'SM_SOURCE_TIMEOUT' // no answer within the timeout
  | 'SM_SOURCE_NETWORK' // connection refused, DNS, reset
  | 'SM_SOURCE_RATE_LIMITED' // 429/418 after the retries
  | 'SM_SOURCE_INVALID' // body is not JSON or does not match the schema
  | 'SM_SOURCE_API_ERROR' // the API answered with its own error body
  | 'SM_SOURCE_EMPTY' // a valid answer holding none of our coins (a failed run, never cached)
  | 'SM_SOURCE_NO_KEY'; // an API key is required and none is configured

export class SourceError extends Error {
  readonly code: SourceErrorCode;
  readonly status?: number;
  /** Seconds the source asked us to wait (Retry-After). */
  readonly retryAfterS?: number;

  constructor(
    code: SourceErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; retryAfterS?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SourceError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterS !== undefined) this.retryAfterS = options.retryAfterS;
  }

  get retryable(): boolean {
    if (this.code === 'SM_SOURCE_TIMEOUT' || this.code === 'SM_SOURCE_NETWORK') return true;
    if (this.code === 'SM_SOURCE_RATE_LIMITED') return true;
    return this.code === 'SM_SOURCE_HTTP' && (this.status ?? 0) >= 500;
  }
}
