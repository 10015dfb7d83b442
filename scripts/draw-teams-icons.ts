// Draws manifest/teams/color.png and outline.png with plain geometry, so the icons are rebuilt
// from source without an image editor: `npx tsx scripts/draw-teams-icons.ts`.
// The glyph is two overlapping rings, the provider and the client, and the lens they share.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";

/** An RGBA colour, each channel 0–255. */
export type Rgba = readonly [r: number, g: number, b: number, a: number];

/** What a point of the picture is: a colour, or nothing (transparent). */
type Scene = (x: number, y: number) => Rgba | null;

// NAVY is also the manifest's accentColor, #1F3A5F.
const NAVY: Rgba = [0x1f, 0x3a, 0x5f, 255];
const TEAL: Rgba = [0x3f, 0xc1, 0xc9, 255];
const WHITE: Rgba = [255, 255, 255, 255];
/** Subsamples per pixel side: 4 × 4 points smooth the edges enough at 32 px. */
const SUPERSAMPLE = 4;

/** The rings' geometry in units of the icon's side, so both sizes share one drawing. */
interface Rings {
  readonly offset: number;
  readonly outer: number;
  readonly stroke: number;
}

const inRing = (dx: number, dy: number, rings: Rings): boolean => {
  const d = Math.hypot(dx, dy);
  return d <= rings.outer && d >= rings.outer - rings.stroke;
};

const inDisc = (dx: number, dy: number, radius: number): boolean => Math.hypot(dx, dy) <= radius;

/** True inside a square of side 1 centred on 0.5 with corners rounded by `radius`. */
const inRoundedSquare = (x: number, y: number, radius: number): boolean => {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return x >= 0 && x <= 1 && y >= 0 && y <= 1 && Math.hypot(x - cx, y - cy) <= radius;
};

/** The full-colour icon: white rings and a teal lens on a navy rounded square. */
const colorScene: Scene = (x, y) => {
  const rings: Rings = { offset: 0.1, outer: 0.2, stroke: 0.046 };
  if (!inRoundedSquare(x, y, 0.2)) return null;
  const [lx, rx, dy] = [x - (0.5 - rings.offset), x - (0.5 + rings.offset), y - 0.5];
  if (inRing(lx, dy, rings) || inRing(rx, dy, rings)) return WHITE;
  if (inDisc(lx, dy, rings.outer) && inDisc(rx, dy, rings.outer)) return TEAL;
  return NAVY;
};

/** The outline icon: the same rings, white on transparent, larger in the frame as Teams shows it small. */
const outlineScene: Scene = (x, y) => {
  const rings: Rings = { offset: 0.14, outer: 0.28, stroke: 0.072 };
  const [lx, rx, dy] = [x - (0.5 - rings.offset), x - (0.5 + rings.offset), y - 0.5];
  return inRing(lx, dy, rings) || inRing(rx, dy, rings) ? WHITE : null;
};

/**
 * Renders a scene (coordinates 0–1) to a square PNG of `size` pixels, averaging premultiplied
 * subsamples. A pixel nothing covers is written as white with alpha 0, so an icon drawn only in
 * white has no other colour in it at all (Teams rejects an outline icon with any).
 */
export function render(scene: Scene, size: number): PNG {
  const png = new PNG({ width: size, height: size });
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let i = 0; i < samples; i++) {
        const x = (px + ((i % SUPERSAMPLE) + 0.5) / SUPERSAMPLE) / size;
        const y = (py + (Math.floor(i / SUPERSAMPLE) + 0.5) / SUPERSAMPLE) / size;
        const c = scene(x, y);
        if (!c) continue;
        const alpha = c[3] / 255;
        [r, g, b, a] = [r + c[0] * alpha, g + c[1] * alpha, b + c[2] * alpha, a + alpha];
      }
      const at = (py * size + px) * 4;
      const rgb = a === 0 ? [255, 255, 255] : [r / a, g / a, b / a];
      png.data[at] = Math.round(rgb[0]!);
      png.data[at + 1] = Math.round(rgb[1]!);
      png.data[at + 2] = Math.round(rgb[2]!);
      png.data[at + 3] = Math.round((a / samples) * 255);
    }
  }
  return png;
}

/** Both icons as PNG files' bytes: color.png 192×192 and outline.png 32×32. */
export function drawTeamsIcons(): { color: Buffer; outline: Buffer } {
  return {
    color: PNG.sync.write(render(colorScene, 192)),
    outline: PNG.sync.write(render(outlineScene, 32)),
  };
}

/** Writes both icons into `dir` (manifest/teams by default) and returns their paths. */
export function writeTeamsIcons(dir: string): string[] {
  const { color, outline } = drawTeamsIcons();
  const paths = [path.join(dir, "color.png"), path.join(dir, "outline.png")];
  writeFileSync(paths[0]!, color);
  writeFileSync(paths[1]!, outline);
  return paths;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  for (const file of writeTeamsIcons(path.join(root, "manifest/teams"))) process.stdout.write(`${file}\n`);
}
