// How numbers, units and ages read on screen (SI prefixes for hashrates, USD with sensible digits).

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z'];

/** 46_450_000 → "46.5 M", then `unit` ("46.5 MH/s"); below 1000 as is, below 0.001 in exponent form. */
export function si(value: number | null | undefined, digits = 3, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 1e-3) return `${value.toExponential(digits - 1)}${unit && ` ${unit}`}`;
  const power = abs < 1000 ? 0 : Math.min(SI.length - 1, Math.floor(Math.log10(abs) / 3));
  const number = Number((value / 1000 ** power).toPrecision(digits)).toLocaleString('en-US', {
    maximumFractionDigits: 12,
  });
  const suffix = `${SI[power]}${unit}`;
  return suffix ? `${number} ${suffix}` : number;
}

export function hashrate(hs: number | null | undefined): string {
  return si(hs, 3, 'H/s');
}

/** USD with cents for amounts, more digits for small ones (0.0870), scientific for per-H/s values. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 1e-4) return `$${value.toExponential(3)}`;
  const digits = abs >= 100 ? 2 : abs >= 1 ? 3 : 4;
  return `${value < 0 ? '−' : ''}$${abs.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.min(2, digits) })}`;
}

export function fraction(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(digits)} %`;
}

/** Seconds → "45 s", "12 min", "3.5 h", "4 d". */
export function age(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** An ISO time as "2024-02-16 16:40:00 UTC" (the API's times are UTC). */
export function utc(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '–';
}
