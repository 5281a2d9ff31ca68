/** The decision boundary of a 2-D classifier: a heat map of its class probabilities and the data on top. */
import type { BoundaryGrid } from './protocol.js';

/** One colour per class (RGB), shared by the boundary, the points and the legend. */
export const CLASS_RGB: [number, number, number][] = [
  [79, 70, 229],
  [234, 88, 12],
  [16, 185, 129],
  [219, 39, 119],
  [202, 138, 4],
  [8, 145, 178],
  [124, 58, 237],
  [101, 163, 13],
  [225, 29, 72],
  [71, 85, 105],
];

export const classColor = (c: number, alpha = 1): string => {
  const [r, g, b] = CLASS_RGB[c % CLASS_RGB.length];
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
};

/**
 * The line p(class 1) = 0.5 through a two-class grid, as segments [x0, y0, x1, y1] in grid
 * coordinates (column, row of cell centres): marching squares with linear interpolation.
 */
export function contour(grid: BoundaryGrid): [number, number, number, number][] {
  const { nx, ny, probs } = grid;
  const v = (c: number, r: number) => probs[(r * nx + c) * 2 + 1] - 0.5;
  const segments: [number, number, number, number][] = [];
  const cross = (a: number, b: number) => a / (a - b); // where the line from value a to value b crosses 0
  for (let r = 0; r < ny - 1; r++) {
    for (let c = 0; c < nx - 1; c++) {
      const tl = v(c, r);
      const tr = v(c + 1, r);
      const br = v(c + 1, r + 1);
      const bl = v(c, r + 1);
      const points: [number, number][] = [];
      if (tl > 0 !== tr > 0) points.push([c + cross(tl, tr), r]);
      if (tr > 0 !== br > 0) points.push([c + 1, r + cross(tr, br)]);
      if (bl > 0 !== br > 0) points.push([c + cross(bl, br), r + 1]);
      if (tl > 0 !== bl > 0) points.push([c, r + cross(tl, bl)]);
      if (points.length === 2) segments.push([...points[0], ...points[1]]);
      else if (points.length === 4) segments.push([...points[0], ...points[1]], [...points[2], ...points[3]]);
    }
  }
  return segments;
}

export interface BoundaryView {
  setPoints(points: Float64Array, labels: Int32Array): void;
  draw(grid: BoundaryGrid): void;
  /** Rings the point at these data coordinates (the example the Jacobian view shows), or none. */
  highlight(at: readonly [number, number] | null): void;
  clear(): void;
}

/**
 * Draws on `canvas`, sized to its CSS box and the screen's pixel ratio. Each grid cell's
 * colour mixes the class colours by the model's probabilities, pale where it is unsure;
 * for two classes a line traces p = 0.5, the decision boundary itself.
 */
export function boundaryView(canvas: HTMLCanvasElement): BoundaryView {
  let points: Float64Array | null = null;
  let labels: Int32Array | null = null;
  let last: BoundaryGrid | null = null;
  let ringed: readonly [number, number] | null = null;
  let frames = 0;
  const heat = document.createElement('canvas');

  function paint(): void {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#f8fafc';
    ctx.fillRect(0, 0, w, h);
    if (!last) return;
    const [x0, x1, y0, y1] = last.bounds;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(heat, 0, 0, w, h);
    if (last.classes === 2) {
      ctx.beginPath();
      for (const [ax, ay, bx, by] of contour(last)) {
        // grid coordinates are cell centres: cell (c, r) spans [c, c + 1] × [r, r + 1]
        ctx.moveTo(((ax + 0.5) / last.nx) * w, ((ay + 0.5) / last.ny) * h);
        ctx.lineTo(((bx + 0.5) / last.nx) * w, ((by + 0.5) / last.ny) * h);
      }
      ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
      ctx.strokeStyle = 'rgba(15, 23, 42, 0.75)';
      ctx.stroke();
    }
    if (!points || !labels) return;
    const px = (x: number) => ((x - x0) / (x1 - x0)) * w;
    const py = (y: number) => ((y1 - y) / (y1 - y0)) * h;
    const r = 3.2 * ratio;
    ctx.lineWidth = 1.2 * ratio;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    for (let i = 0; i < labels.length; i++) {
      ctx.beginPath();
      ctx.arc(px(points[2 * i]), py(points[2 * i + 1]), r, 0, 2 * Math.PI);
      ctx.fillStyle = classColor(labels[i]);
      ctx.fill();
      ctx.stroke();
    }
    if (ringed) {
      ctx.beginPath();
      ctx.arc(px(ringed[0]), py(ringed[1]), 9 * ratio, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5 * ratio;
      ctx.strokeStyle = '#0f172a';
      ctx.stroke();
    }
  }

  function renderHeat(grid: BoundaryGrid): void {
    const { nx, ny, classes, probs } = grid;
    heat.width = nx;
    heat.height = ny;
    const ctx = heat.getContext('2d')!;
    const image = ctx.createImageData(nx, ny);
    const best = new Int32Array(nx * ny);
    for (let i = 0; i < nx * ny; i++) {
      let arg = 0;
      for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + arg]) arg = c;
      best[i] = arg;
    }
    for (let i = 0; i < nx * ny; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let c = 0; c < classes; c++) {
        const p = probs[i * classes + c];
        const [cr, cg, cb] = CLASS_RGB[c % CLASS_RGB.length];
        r += p * cr;
        g += p * cg;
        b += p * cb;
      }
      // confidence 0 (uniform) .. 1 (certain) sets how strongly the colour shows over white
      const top = probs[i * classes + best[i]];
      const confidence = classes > 1 ? (top - 1 / classes) / (1 - 1 / classes) : 1;
      const strength = 0.14 + 0.4 * confidence;
      image.data[4 * i] = Math.round(255 + (r - 255) * strength);
      image.data[4 * i + 1] = Math.round(255 + (g - 255) * strength);
      image.data[4 * i + 2] = Math.round(255 + (b - 255) * strength);
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  new ResizeObserver(() => paint()).observe(canvas);
  return {
    setPoints(p, l) {
      points = p;
      labels = l;
      paint();
    },
    draw(grid) {
      last = grid;
      renderHeat(grid);
      paint();
      canvas.dataset.frames = String(++frames);
    },
    highlight(at) {
      ringed = at;
      paint();
    },
    clear() {
      last = null;
      ringed = null;
      frames = 0;
      canvas.dataset.frames = '0';
      paint();
    },
  };
}
