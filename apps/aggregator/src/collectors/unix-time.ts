// Unix times as the sources send them: documented in seconds or in milliseconds, and now and then sent in the other.

/**
 * 1e11 read as seconds is the year 5138, read as milliseconds 3 March 1973: no time a source sends lies beyond the
 * one or before the other, so the side of it a value falls on tells its unit.
 */
const UNIT_BOUNDARY = 1e11;

/** A time documented in unix seconds (one past the boundary came in milliseconds); undefined for 0 or less. */
export function fromUnixSeconds(value: number | undefined): Date | undefined {
  if (value === undefined || !(value > 0)) return undefined;
  return new Date(value >= UNIT_BOUNDARY ? value : value * 1000);
}

/** A time documented in unix milliseconds (one below the boundary came in seconds); undefined for 0 or less. */
export function fromUnixMilliseconds(value: number | undefined): Date | undefined {
  if (value === undefined || !(value > 0)) return undefined;
  return new Date(value < UNIT_BOUNDARY ? value * 1000 : value);
}
