// Error catalogue of the decision engine (SM_PROFILE_*): what callers (the API's 400s) can branch on.

export type DecisionErrorCode = 'SM_PROFILE_INVALID';

export class DecisionError extends Error {
  readonly code: DecisionErrorCode;
  /** Dotted path of the first bad field (`switching.thresholdFraction`), so a 400 can name it. */
  readonly field: string | undefined;
  constructor(code: DecisionErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options);
    this.name = 'DecisionError';
    this.code = code;
    this.field = options?.field;
  }
}
