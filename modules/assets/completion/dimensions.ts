// Width and height of an image from its first bytes (no image library): PNG, GIF, BMP and WebP
// carry them in a fixed header; JPEG in its first start-of-frame segment. Null when the bytes
// given do not reach them.
export interface Dimensions { width: number; height: number }

export function imageDimensions(mime: string, b: Buffer): Dimensions | null {
  try {
    switch (mime) {
      case 'image/png': return b.length >= 24 ? { width: b.readUInt32BE(16), height: b.readUInt32BE(20) } : null;
      case 'image/gif': return b.length >= 10 ? { width: b.readUInt16LE(6), height: b.readUInt16LE(8) } : null;
      case 'image/bmp': return b.length >= 26 ? { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) } : null;
      case 'image/webp': return webp(b);
      case 'image/jpeg': return jpeg(b);
      default: return null;
    }
  } catch {
    return null; // a header cut short: the size is simply unknown
  }
}

function webp(b: Buffer): Dimensions | null {
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  return null;
}

function jpeg(b: Buffer): Dimensions | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) hold the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
    if (marker === 0xff) { i += 1; continue; }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}
