import { S3Client, CreateBucketCommand, HeadBucketCommand, type GetObjectCommand, type PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from './config.ts';

// The SDK's notice about future Node versions says nothing about this pinned version; it would
// only add noise to every process's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function createS3Client(config: Config): S3Client {
  return new S3Client({
    // Presigned PUTs are signed before the bytes exist: a default (empty-body) CRC32 checksum in
    // the URL would make every real upload fail. Checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    forcePathStyle: config.s3ForcePathStyle,
    credentials: { accessKeyId: config.s3AccessKeyId, secretAccessKey: config.s3SecretAccessKey },
  });
}

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

export interface PresignOptions {
  /** Seconds the URL stays valid. */
  expiresIn: number;
  /** The S3 URL the client reaches (S3_PUBLIC_ENDPOINT): the URL names it and is signed for its host. */
  publicEndpoint: string;
  /** Headers the client must send exactly as given (content-type is otherwise left unsigned). */
  signedHeaders?: string[];
  /** x-amz-* headers to keep as headers (signed) rather than query parameters. */
  headerOnly?: string[];
  /** The signing moment (default now); the URL expires expiresIn seconds after it. */
  signingDate?: Date;
}

/**
 * A presigned URL for a client that may not share the API's network. The request is built by the
 * injected client as usual, then re-addressed to the public endpoint before it is signed, so the
 * signature covers the host the client will actually send.
 */
export function presignUrl(s3: S3Client, command: PutObjectCommand | GetObjectCommand, opts: PresignOptions): Promise<string> {
  // Both commands share one middleware stack type for what is done here; the union is only for the compiler.
  const cmd = command as GetObjectCommand;
  const target = new URL(opts.publicEndpoint);
  cmd.middlewareStack.add((next) => async (args) => {
    const request = args.request as { protocol: string; hostname: string; port?: number; path: string; headers: Record<string, string> };
    request.protocol = target.protocol;
    request.hostname = target.hostname;
    request.port = target.port ? Number(target.port) : undefined;
    request.path = `${target.pathname.replace(/\/+$/, '')}${request.path}`;
    request.headers.host = target.host;
    return next(args);
  }, { step: 'build', name: 'slab5PublicEndpoint', override: true });
  return getSignedUrl(s3, cmd, {
    expiresIn: opts.expiresIn,
    signingDate: opts.signingDate,
    signableHeaders: new Set(opts.signedHeaders?.map((h) => h.toLowerCase())),
    unhoistableHeaders: new Set(opts.headerOnly?.map((h) => h.toLowerCase())),
  });
}
