/** The offline decode shown beside a VIN: maker, country, model year, check digit, plant, serial. */
import { decodeVin } from '@platelens/core';

export function vinDecodeView(vin: string, orientation?: string): HTMLElement {
  const dl = document.createElement('dl');
  dl.className = 'vin-decode small';
  dl.dataset.testid = 'vin-decode';
  let d;
  try {
    d = decodeVin(vin);
  } catch {
    return dl; // not a VIN (a cloud answer we cannot decode): show nothing
  }
  const year = d.modelYear.likely ? `${d.modelYear.likely}${d.modelYear.candidates.length > 1 ? ` (or ${d.modelYear.candidates.filter((y) => y !== d.modelYear.likely).join(', ')})` : ''}` : '–';
  const rows: [string, string][] = [
    ['Manufacturer', d.manufacturer ?? `unknown WMI ${d.wmi}`],
    ['Country', d.country ? `${d.country}${d.countrySource === 'inferred' ? ' (inferred)' : ''}` : '–'],
    ['Model year', year],
    ['Check digit', d.checkDigit.status === 'valid' ? 'valid' : d.checkDigit.status === 'invalid' ? `invalid (expected ${d.checkDigit.expected})` : 'not used'],
    ['Plant · serial', `${d.plant} · ${d.serial}`],
  ];
  if (orientation) rows.push(['Orientation', orientation]);
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  return dl;
}
