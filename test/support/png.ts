/**
 * A small PNG decoder for tests (8-bit greyscale, RGB or RGBA, not
 * interlaced: what Chromium's screenshots are), to look at pixels.
 *
 * @module
 */

/** Decoded pixels, row-major, `channels` bytes per pixel. */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Decodes a PNG file's bytes. */
export async function decodePng(png: Uint8Array): Promise<Pixels> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8));
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour];
      if (depth !== 8 || !channels || interlace !== 0) {
        throw new Error(`unsupported PNG: depth ${depth}, colour ${colour}`);
      }
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  idat.reduce((at, chunk) => (joined.set(chunk, at), at + chunk.length), 0);
  const raw = await inflate(joined);
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[y * stride + x - channels] : 0;
      const b = y > 0 ? data[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0
        ? data[(y - 1) * stride + x - channels]
        : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [
          Math.abs(p - a),
          Math.abs(p - b),
          Math.abs(p - c),
        ];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      data[y * stride + x] = (src[x] + predictor) & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** The share of pixels in a rectangle that are not (near) white. */
export function inkShare(
  img: Pixels,
  rect: { x: number; y: number; width: number; height: number },
): number {
  let ink = 0, total = 0;
  const colour = Math.min(img.channels, 3);
  for (let y = rect.y; y < Math.min(img.height, rect.y + rect.height); y++) {
    for (let x = rect.x; x < Math.min(img.width, rect.x + rect.width); x++) {
      const p = (y * img.width + x) * img.channels;
      let dark = false;
      for (let k = 0; k < colour; k++) dark ||= img.data[p + k] < 235;
      if (dark) ink++;
      total++;
    }
  }
  return total === 0 ? 0 : ink / total;
}
