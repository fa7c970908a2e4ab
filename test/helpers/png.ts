import { crc32, deflateSync } from "node:zlib";

/** A grey-scale PNG of `width` x `height` from a pixel test, for a person to look at. */
export function pngOf(
  width: number,
  height: number,
  lit: (x: number, y: number) => boolean,
): Buffer {
  const scale = 4;
  const rows: Buffer[] = [];
  for (let y = 0; y < height * scale; y++) {
    const row = Buffer.alloc(1 + width * scale);
    for (let x = 0; x < width * scale; x++) {
      row[1 + x] = lit(Math.floor(x / scale), Math.floor(y / scale)) ? 0xe8 : 0x10;
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width * scale, 0);
  header.writeUInt32BE(height * scale, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
