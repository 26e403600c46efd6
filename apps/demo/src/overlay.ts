/** Draws result boxes and labels on the overlay canvas, in the image's own pixel coordinates. */
import type { Box, PlateResponse, VinResponse } from '@platelens/core';

export const COLORS = {
  vin: '#22d3ee',
  plate: '#22d3ee',
  vehicle: '#f59e0b',
  low: '#94a3b8',
} as const;

export interface Shape {
  box: Box;
  label: string;
  color: string;
  dashed?: boolean;
}

export function vinShapes(r: VinResponse, threshold: number): Shape[] {
  if (!r.success || !r.vin) return [];
  const low = r.confidence < threshold;
  return [{ box: r.box, label: `VIN ${r.vin} · ${r.confidence.toFixed(2)}`, color: low ? COLORS.low : COLORS.vin, dashed: low }];
}

export function plateShapes(r: PlateResponse, threshold: number): Shape[] {
  const out: Shape[] = [];
  for (const p of r.results) {
    if (p.vehicle) {
      out.push({ box: p.vehicle.box, label: `${p.vehicle.type} · ${p.vehicle.score.toFixed(2)}`, color: COLORS.vehicle });
    }
  }
  for (const p of r.results) {
    const low = p.score < threshold;
    const region = p.region ? ` (${p.region.code})` : '';
    out.push({ box: p.box, label: `${p.plate.toUpperCase()}${region} · ${p.score.toFixed(2)}`, color: low ? COLORS.low : COLORS.plate, dashed: low });
  }
  return out;
}

/** Sizes the canvas to the media (width × height pixels) and draws the shapes; no shapes clears it. */
export function drawOverlay(canvas: HTMLCanvasElement, width: number, height: number, shapes: readonly Shape[]): void {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, width, height);
  // scale strokes and text with the image, so they read the same at any display size
  const unit = Math.max(1, Math.min(width, height) / 360);
  const line = Math.max(2, Math.round(2.5 * unit));
  const font = Math.max(12, Math.round(13 * unit));
  for (const s of shapes) {
    const { xmin, ymin, xmax, ymax } = s.box;
    ctx.save();
    ctx.lineWidth = line;
    ctx.strokeStyle = s.color;
    ctx.setLineDash(s.dashed ? [line * 3, line * 2] : []);
    ctx.strokeRect(xmin, ymin, xmax - xmin, ymax - ymin);
    ctx.setLineDash([]);
    ctx.font = `600 ${font}px system-ui, sans-serif`;
    const pad = Math.round(font * 0.35);
    const tw = ctx.measureText(s.label).width + pad * 2;
    const th = font + pad * 2;
    // label above the box (inside the image), below it when there is no room
    let ly = ymin - line / 2 - th;
    if (ly < 0) ly = Math.min(height - th, ymax + line / 2);
    const lx = Math.min(Math.max(0, xmin - line / 2), Math.max(0, width - tw));
    ctx.fillStyle = s.color;
    ctx.fillRect(lx, ly, tw, th);
    ctx.fillStyle = '#0f172a';
    ctx.textBaseline = 'top';
    ctx.fillText(s.label, lx + pad, ly + pad);
    ctx.restore();
  }
}
