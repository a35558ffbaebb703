// The content type of the uploaded bytes, recognised from their first bytes (file-type), against
// the declared mime_type and the asset type's allowed types. A sniffed type must be the declared
// one or of its family (a .docx is a zip; an .xls is an OLE compound file). A declared
// application/octet-stream takes whatever the bytes are, if the asset type allows it. Formats
// without a signature (plain text, CSV, JSON) cannot be sniffed: text must at least not be binary.
import { fileTypeFromBuffer, supportedMimeTypes } from 'file-type';
import type { AssetMetadata, AssetType } from '../entities.ts';
import { bareMime, mimeAllowed, type AssetTypeLimits } from '../limits.ts';
import { imageDimensions } from './dimensions.ts';
import { VerificationFailure } from './verification.ts';

/** How many first bytes are read to sniff the type and an image's size. */
export const SNIFF_BYTES = 64 * 1024;

const GENERIC = 'application/octet-stream';

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'image/x-png': 'image/png', 'image/x-ms-bmp': 'image/bmp',
  'video/x-matroska': 'video/matroska', 'video/x-msvideo': 'video/vnd.avi', 'application/x-zip-compressed': 'application/zip',
  'audio/x-wav': 'audio/wav', 'audio/wave': 'audio/wav', 'audio/mp3': 'audio/mpeg', 'application/x-pdf': 'application/pdf',
};
const canonical = (mime: string) => { const bare = bareMime(mime); return ALIASES[bare] ?? bare; };

const XML_BASED = (m: string) => m === 'text/xml' || m.endsWith('+xml');

/** Container formats whose members file-type may or may not tell apart from their first bytes. */
const FAMILIES: { base: string; member: (mime: string) => boolean }[] = [
  { base: 'application/zip', member: (m) => m.endsWith('+zip') || m.startsWith('application/vnd.openxmlformats-officedocument.') || m.startsWith('application/vnd.oasis.opendocument.') || m === 'application/java-archive' },
  { base: 'application/x-cfb', member: (m) => ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/vnd.ms-outlook', 'application/vnd.visio'].includes(m) },
  { base: 'application/xml', member: XML_BASED },
  { base: 'application/ogg', member: (m) => /^(audio|video)\/ogg$/.test(m) },
];

function compatible(real: string, declared: string): boolean {
  if (real === declared) return true;
  return FAMILIES.some((f) => (real === f.base || f.member(real)) && (declared === f.base || f.member(declared)) && (real === f.base || declared === f.base));
}

/** Types that carry a signature file-type knows, so bytes without it are not of that type. XML may omit its declaration. */
const hasSignature = (mime: string) => supportedMimeTypes.has(mime) && mime !== 'application/xml' && !XML_BASED(mime);

const TEXTUAL = (m: string) => m.startsWith('text/') || /^application\/(json|xml|javascript|x-ndjson|yaml|x-yaml|rtf)$/.test(m) || /\+(json|xml)$/.test(m);

/** The bytes' metadata when they agree with the declared type, else a VerificationFailure naming mime_type. */
export async function verifyContentType(head: Buffer, declaredMime: string, type: AssetType, limits: AssetTypeLimits): Promise<AssetMetadata> {
  const declared = canonical(declaredMime);
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  const sniffed = found ? canonical(found.mime) : null;
  if (sniffed) {
    if (declared === GENERIC) {
      if (!mimeAllowed(limits, sniffed)) {
        throw new VerificationFailure('content_type_not_allowed', 'mime_type', `The uploaded bytes are ${sniffed}, which a ${type} asset cannot be (allowed: ${limits.mime_types.join(', ')}).`);
      }
    } else if (!compatible(sniffed, declared)) {
      throw new VerificationFailure('content_type_mismatch', 'mime_type', `The uploaded bytes are ${sniffed}, not the declared ${declaredMime}.`);
    }
  } else if (hasSignature(declared)) {
    throw new VerificationFailure('content_type_mismatch', 'mime_type', `The uploaded bytes do not start like ${declaredMime} (no ${declaredMime} signature found).`);
  } else if (TEXTUAL(declared) && head.includes(0)) {
    throw new VerificationFailure('content_type_mismatch', 'mime_type', `The uploaded bytes are binary, not the declared text type ${declaredMime}.`);
  }
  const dimensions = sniffed ? imageDimensions(sniffed, head) : null;
  return { sniffed_mime_type: sniffed, ...dimensions };
}
