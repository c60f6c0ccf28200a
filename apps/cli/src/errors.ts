// Error catalogue of the command line (SM_CLI_*): problems found before any role starts.

export type CliErrorCode = 'SM_CLI_PORT_UNAVAILABLE' | 'SM_CLI_SCENARIO_INVALID';

export class CliError extends Error {
  readonly code: CliErrorCode;
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}
