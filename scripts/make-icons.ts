// npm run icons — draws the home-screen icons (app/reach/icons/*.png) from the same shapes as icon.svg:
// a white page with three lines of text on the site's green. PNG written by hand (zlib only), so no image
// library is needed. The PNGs are committed; run this again only if the design changes.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const GREEN = [0x0b, 0x5c, 0x3b];
const WHITE = [0xff, 0xff, 0xff];

/** Colour of a pixel, in a 0..1 square: green background, a white page, three green text lines. */
function colour(x: number, y: number): number[] {
  const onPage = x > 0.24 && x < 0.76 && y > 0.18 && y < 0.82;
  if (!onPage) return GREEN;
  const line = [0.32, 0.46, 0.6].some((top) => y > top && y < top + 0.06 && x > 0.32 && x < (top === 0.6 ? 0.56 : 0.68));
  return line ? GREEN : WHITE;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function png(size: number): Buffer {
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    rows[y * (1 + size * 3)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b] = colour((x + 0.5) / size, (y + 0.5) / size);
      rows.set([r, g, b], y * (1 + size * 3) + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) writeFileSync(`app/reach/icons/icon-${size}.png`, png(size));
