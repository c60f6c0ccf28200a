// The package's error catalogue: SM_STRATUM_* library errors and the Stratum wire error codes (20–25).

/** Library errors: what went wrong in this package's own terms. */
export const STRATUM_ERROR_CODES = {
  /** A line grew past the framer's cap; the rest of it up to the next `\n` is discarded. */
  SM_STRATUM_LINE_TOO_LONG: 'line longer than the maximum length',
  /** A line is not JSON (even after NiceHash `NULL` leniency). */
  SM_STRATUM_BAD_JSON: 'line is not valid JSON',
  /** Valid JSON that is not a JSON-RPC request, response or notification. */
  SM_STRATUM_BAD_MESSAGE: 'JSON is not a JSON-RPC message',
  /** A known method with params of the wrong shape. */
  SM_STRATUM_BAD_PARAMS: 'method params have the wrong shape',
  /** A response whose result has the wrong shape for the request it answers. */
  SM_STRATUM_BAD_RESULT: 'response result has the wrong shape',
  /** A hex field that is not hex, or not of the expected length. */
  SM_STRATUM_BAD_HEX: 'field is not hex of the expected length',
  /** A difficulty that is not a finite positive number, or a target outside (0, 2^256). */
  SM_STRATUM_BAD_DIFFICULTY: 'difficulty or target out of range',
  /** An algorithm key with no entry in the difficulty / proof-of-work tables. */
  SM_STRATUM_UNKNOWN_ALGORITHM: 'algorithm not supported',
  /** A Stratum endpoint URL that is not `stratum+tcp|ssl|tls://host:port`. */
  SM_STRATUM_BAD_URL: 'not a Stratum endpoint URL',
  /** An extranonce layout whose byte sizes do not fit the upstream's extranonce2 space. */
  SM_STRATUM_LAYOUT_DOES_NOT_FIT: 'extranonce layout does not fit',
} as const;

export type StratumErrorCode = keyof typeof STRATUM_ERROR_CODES;

export class StratumError extends Error {
  readonly code: StratumErrorCode;

  constructor(code: StratumErrorCode, detail?: string) {
    super(detail ? `${STRATUM_ERROR_CODES[code]}: ${detail}` : STRATUM_ERROR_CODES[code]);
    this.name = 'StratumError';
    this.code = code;
  }
}

/** An error as it travels in a JSON-RPC reply (both wire styles normalise to this). */
export interface RpcError {
  code: number;
  message: string;
  /** The slush array's third element (traceback) or the object style's `data`; null when absent. */
  data: unknown;
}

/**
 * Stratum wire errors, slush proposal numbering (miningcore's StratumError uses the same; stratum.md §1).
 * Pools answer -1 for generic errors too; that code is accepted on input, never produced here.
 */
export const WIRE_ERRORS = {
  /** 20: anything else, including unknown methods and "Not supported." for extranonce.subscribe. */
  other: { code: 20, message: 'Other/Unknown' },
  /** 21: share for a job that was cleaned or expired (stale). */
  jobNotFound: { code: 21, message: 'Job not found' },
  /** 22: same (job, extranonce2, ntime, nonce[, version_bits]) seen again. */
  duplicateShare: { code: 22, message: 'Duplicate share' },
  /** 23: hash above the share target. */
  lowDifficulty: { code: 23, message: 'Low difficulty share' },
  /** 24: submit before authorize, or a bad login. */
  unauthorized: { code: 24, message: 'Unauthorized worker' },
  /** 25: submit before subscribe. */
  notSubscribed: { code: 25, message: 'Not subscribed' },
} as const satisfies Record<string, { code: number; message: string }>;

export type WireErrorName = keyof typeof WIRE_ERRORS;

/** A wire error from the catalogue, optionally with a more precise message. */
export function wireError(name: WireErrorName, message?: string): RpcError {
  const e = WIRE_ERRORS[name];
  return { code: e.code, message: message ?? e.message, data: null };
}

/** The wire answer for a library error raised while reading a request: 20 with the error's own message. */
export function wireErrorFor(error: unknown): RpcError {
  return wireError('other', error instanceof Error ? error.message : String(error));
}
