// The proxy's error catalogue (SM_PROXY_*): configuration and wiring mistakes. Wire errors to miners use the
// Stratum codes 20–25 from @smart-mining/stratum.

export const PROXY_ERROR_CODES = {
  /** A listener or timing option outside its range. */
  SM_PROXY_BAD_CONFIG: 'proxy configuration is not valid',
  /** handle(conn, {listener}) named a listener the proxy does not have. */
  SM_PROXY_UNKNOWN_LISTENER: 'no such listener',
  /** The listener's fallback pool is not declared, or it cannot be dialed by this listener. */
  SM_PROXY_BAD_FALLBACK: 'fallback pool is not usable',
} as const;

export type ProxyErrorCode = keyof typeof PROXY_ERROR_CODES;

export class ProxyError extends Error {
  readonly code: ProxyErrorCode;

  constructor(code: ProxyErrorCode, detail?: string) {
    super(detail ? `${PROXY_ERROR_CODES[code]}: ${detail}` : PROXY_ERROR_CODES[code]);
    this.name = 'ProxyError';
    this.code = code;
  }
}
