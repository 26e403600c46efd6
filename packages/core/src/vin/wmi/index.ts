/**
 * WMI (VIN positions 1–3) → manufacturer and country, from the vPIC table in
 * wmi-data.ts (see ./README.md for its source and licence). A WMI vPIC does not list gets
 * the country most WMIs with its first two characters have, marked as inferred, never a
 * manufacturer.
 */
import { COUNTRIES, MANUFACTURERS, WMI_CODES, WMI_COUNTRY, WMI_MANUFACTURER } from './wmi-data.ts';

export { WMI_SOURCE } from './wmi-data.ts';

export interface WmiInfo {
  wmi: string;
  manufacturer: string | null;
  country: string | null;
  /** 'table': vPIC lists this WMI; 'inferred': from WMIs sharing its first characters; null: unknown. */
  countrySource: 'table' | 'inferred' | null;
}

let index: Map<string, number> | null = null;
let prefixCountry: Map<string, string> | null = null;

function build() {
  index = new Map();
  const votes = new Map<string, Map<string, number>>();
  for (let i = 0; i * 3 < WMI_CODES.length; i++) {
    const w = WMI_CODES.slice(3 * i, 3 * i + 3);
    index.set(w, i);
    const c = COUNTRIES[WMI_COUNTRY[i]];
    if (!c) continue;
    const m = votes.get(w.slice(0, 2)) ?? new Map<string, number>();
    m.set(c, (m.get(c) ?? 0) + 1);
    votes.set(w.slice(0, 2), m);
  }
  prefixCountry = new Map();
  for (const [p, m] of votes) prefixCountry.set(p, [...m.entries()].sort((a, b) => b[1] - a[1])[0][0]);
}

/** Manufacturer and country of a WMI (the first 3 characters of `vin` are used). */
export function lookupWmi(vin: string): WmiInfo {
  if (!index) build();
  const wmi = vin.slice(0, 3).toUpperCase();
  const i = index!.get(wmi);
  const manufacturer = i === undefined ? null : MANUFACTURERS[WMI_MANUFACTURER[i]] || null;
  const listed = i === undefined ? null : COUNTRIES[WMI_COUNTRY[i]] || null;
  if (listed) return { wmi, manufacturer, country: listed, countrySource: 'table' };
  const inferred = prefixCountry!.get(wmi.slice(0, 2)) ?? null;
  return { wmi, manufacturer, country: inferred, countrySource: inferred ? 'inferred' : null };
}
