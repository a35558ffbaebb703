// The pure parts of verification: the content type sniffed from first bytes against the declared
// one, image sizes read from headers, and the Content-Disposition of downloads.
import test from 'ava';
import { attachmentDisposition } from '../../modules/assets/disposition.ts';
import { imageDimensions } from '../../modules/assets/completion/dimensions.ts';
import { verifyContentType } from '../../modules/assets/completion/sniff.ts';
import { VerificationFailure } from '../../modules/assets/completion/verification.ts';
import { DEFAULT_ASSET_LIMITS } from '../../modules/assets/limits.ts';
import { jpegHead, png } from './helpers.ts';

/** A zip with one stored member (what .docx, .xlsx and .odt files are). */
function zip(name: string, data: string): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), Buffer.from(data)]);
}

const gif = (w: number, h: number) => { const b = Buffer.alloc(32); b.write('GIF89a'); b.writeUInt16LE(w, 6); b.writeUInt16LE(h, 8); return b; };

const verdict = async (bytes: Buffer, declared: string, type: keyof typeof DEFAULT_ASSET_LIMITS = 'document') => {
  try {
    return await verifyContentType(bytes, declared, type, DEFAULT_ASSET_LIMITS[type]);
  } catch (err) {
    if (err instanceof VerificationFailure) return err.reason;
    throw err;
  }
};

test('the sniffed type must be the declared one, an alias of it, or of its container family', async (t) => {
  t.deepEqual(await verdict(png(3, 4), 'image/png', 'image'), { sniffed_mime_type: 'image/png', width: 3, height: 4 });
  t.deepEqual(await verdict(jpegHead(640, 480), 'image/jpg', 'image'), { sniffed_mime_type: 'image/jpeg', width: 640, height: 480 }, 'image/jpg is image/jpeg');
  t.is(await verdict(gif(1, 1), 'image/png', 'image'), 'content_type_mismatch');
  const member = zip('word/document.xml', '<w:document/>');
  t.like(await verdict(member, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'), { sniffed_mime_type: 'application/zip' },
    'a zip whose first member does not tell it apart is accepted as a .docx');
  t.is(await verdict(member, 'application/pdf'), 'content_type_mismatch');
  const xml = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>');
  t.like(await verdict(xml, 'image/svg+xml', 'attachment'), { sniffed_mime_type: 'application/xml' });
  t.is(await verdict(Buffer.from('%PDF-1.7\n'), 'application/pdf').then((m) => (m as any).sniffed_mime_type), 'application/pdf');
  t.is(await verdict(Buffer.from('plain words'), 'application/pdf'), 'content_type_mismatch', 'a PDF must carry its signature');
});

test('formats without a signature pass unless their bytes are binary', async (t) => {
  t.deepEqual(await verdict(Buffer.from('{"a": 1}'), 'application/json'), { sniffed_mime_type: null });
  t.deepEqual(await verdict(Buffer.from('<root/>'), 'application/xml', 'attachment'), { sniffed_mime_type: null }, 'XML may omit its declaration');
  t.deepEqual(await verdict(Buffer.alloc(0), 'text/plain'), { sniffed_mime_type: null }, 'an empty file');
  t.is(await verdict(Buffer.from([0x61, 0x00, 0x62]), 'text/csv'), 'content_type_mismatch');
});

test('application/octet-stream takes the sniffed type only when the asset type allows it', async (t) => {
  t.like(await verdict(png(1, 1), 'application/octet-stream', 'attachment'), { sniffed_mime_type: 'image/png' });
  t.is(await verdict(png(1, 1), 'application/octet-stream', 'document'), 'content_type_not_allowed');
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(200)]);
  t.is(await verdict(exe, 'application/octet-stream', 'attachment'), 'content_type_not_allowed');
});

test('image sizes are read from PNG, GIF, BMP, WebP and JPEG headers, and a cut header gives none', (t) => {
  t.deepEqual(imageDimensions('image/png', png(1200, 630)), { width: 1200, height: 630 });
  t.deepEqual(imageDimensions('image/gif', gif(320, 200)), { width: 320, height: 200 });
  const bmp = Buffer.alloc(54); bmp.write('BM'); bmp.writeInt32LE(64, 18); bmp.writeInt32LE(-32, 22);
  t.deepEqual(imageDimensions('image/bmp', bmp), { width: 64, height: 32 }, 'a top-down BMP has a negative height');
  const vp8x = Buffer.alloc(30); vp8x.write('RIFF'); vp8x.write('WEBP', 8); vp8x.write('VP8X', 12); vp8x.writeUIntLE(1919, 24, 3); vp8x.writeUIntLE(1079, 27, 3);
  t.deepEqual(imageDimensions('image/webp', vp8x), { width: 1920, height: 1080 });
  const vp8l = Buffer.alloc(30); vp8l.write('RIFF'); vp8l.write('WEBP', 8); vp8l.write('VP8L', 12); vp8l.writeUInt32LE((99) | (49 << 14), 21);
  t.deepEqual(imageDimensions('image/webp', vp8l), { width: 100, height: 50 });
  // An EXIF segment before the frame header is skipped by its length.
  const exif = Buffer.concat([Buffer.from([0xff, 0xe1, 0x01, 0x02]), Buffer.alloc(0x0100, 0x45)]);
  const jpeg = jpegHead(4032, 3024);
  t.deepEqual(imageDimensions('image/jpeg', Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)])), { width: 4032, height: 3024 });
  t.is(imageDimensions('image/jpeg', jpeg.subarray(0, 20)), null);
  t.is(imageDimensions('image/png', png(2, 2).subarray(0, 20)), null);
  t.is(imageDimensions('application/pdf', Buffer.from('%PDF')), null);
});

test('Content-Disposition carries the file name: plain when it can, RFC 6266 filename* when it must', (t) => {
  t.is(attachmentDisposition('report.pdf'), 'attachment; filename="report.pdf"');
  t.is(attachmentDisposition('say "hi".txt'), `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`);
  t.is(attachmentDisposition('Über (1).pdf'), `attachment; filename="_ber (1).pdf"; filename*=UTF-8''%C3%9Cber%20%281%29.pdf`);
  t.is(attachmentDisposition('日本.png'), `attachment; filename="__.png"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.png`);
  t.is(attachmentDisposition("it's\\x.txt"), `attachment; filename="it's_x.txt"; filename*=UTF-8''it%27s%5Cx.txt`);
});
