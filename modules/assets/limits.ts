// What each asset type accepts: a size limit, the MIME types (exact or `type/*` ranges) and
// whether a checksum must be declared. The defaults below are overridden per type by the
// ASSET_TYPE_LIMITS setting (platform/config.ts validates its shape at start). Checked when the
// upload intent is created (before any URL exists) and again on the verified bytes.
import type { AssetType, AssetTypeLimitOverrides } from '../../platform/config.ts';
import { ruleViolation } from '../../platform/errors.ts';

export interface AssetTypeLimits { max_bytes: number; mime_types: readonly string[]; require_checksum: boolean }

const MiB = 1024 ** 2;

export const DEFAULT_ASSET_LIMITS: Record<AssetType, AssetTypeLimits> = {
  // SVG is not a default image type: it can carry script.
  image: {
    max_bytes: 25 * MiB,
    mime_types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/tiff', 'image/heic'],
    require_checksum: false,
  },
  video: {
    max_bytes: 5 * 1024 * MiB,
    mime_types: ['video/mp4', 'video/webm', 'video/quicktime', 'video/matroska', 'video/x-matroska', 'video/ogg', 'video/mpeg'],
    require_checksum: false,
  },
  document: {
    max_bytes: 100 * MiB,
    mime_types: [
      'application/pdf', 'text/plain', 'text/csv', 'text/markdown', 'application/json', 'application/rtf',
      'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
      'application/vnd.oasis.opendocument.presentation', 'application/epub+zip',
    ],
    require_checksum: false,
  },
  // Anything a person attaches, except executables: those are not listed, so an executable
  // uploaded as application/octet-stream is refused once its bytes are sniffed.
  attachment: {
    max_bytes: 100 * MiB,
    mime_types: [
      'application/octet-stream', 'application/pdf', 'application/zip', 'application/gzip', 'application/x-7z-compressed',
      'application/x-tar', 'application/json', 'application/xml', 'text/*', 'image/*', 'audio/*', 'video/*',
      'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/x-cfb',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
      'application/vnd.oasis.opendocument.presentation', 'text/calendar', 'text/vcard',
    ],
    require_checksum: false,
  },
};

export function assetLimits(overrides: AssetTypeLimitOverrides, type: AssetType): AssetTypeLimits {
  return { ...DEFAULT_ASSET_LIMITS[type], ...overrides[type] };
}

/** MIME parameters and case do not change what a type is. */
export const bareMime = (mime: string) => mime.split(';')[0]!.trim().toLowerCase();

export function mimeAllowed(limits: AssetTypeLimits, mime: string): boolean {
  const bare = bareMime(mime);
  const major = bare.split('/')[0];
  return limits.mime_types.some((range) => range === '*/*' || range === bare || range === `${major}/*`);
}

const mebibytes = (n: number) => `${(n / MiB).toFixed(n % MiB ? 1 : 0)} MiB`;

/** The intent's declared type and size against the asset type's limits: 422 naming the field. */
export function assertIntentWithinLimits(limits: AssetTypeLimits, type: AssetType, input: { mime_type: string; byte_size?: number; checksum_sha256?: string }): void {
  if (!mimeAllowed(limits, input.mime_type)) {
    throw ruleViolation('mime_type', `A ${type} asset cannot be ${input.mime_type}; allowed: ${limits.mime_types.join(', ')}.`,
      { reason: 'content_type_not_allowed', allowed: limits.mime_types });
  }
  if (input.byte_size !== undefined && input.byte_size > limits.max_bytes) {
    throw ruleViolation('byte_size', `A ${type} asset can be at most ${limits.max_bytes} bytes (${mebibytes(limits.max_bytes)}); ${input.byte_size} were declared.`,
      { reason: 'size_limit_exceeded', max_bytes: limits.max_bytes });
  }
}
