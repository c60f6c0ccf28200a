// Hardware identity: one key per device, whichever source names it (`nvidia-rtx-3080`).

/** Lowercase, alphanumerics joined by single dashes: `RTX 3080 (10GB)` → `rtx-3080-10gb`. */
export function slugKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The device key from its vendor and model name; a name that already starts with the vendor keeps it once. */
export function hardwareKey(vendor: string, name: string): string {
  const vendorKey = slugKey(vendor);
  const nameKey = slugKey(name);
  return nameKey.startsWith(`${vendorKey}-`) ? nameKey : slugKey(`${vendorKey}-${nameKey}`);
}
