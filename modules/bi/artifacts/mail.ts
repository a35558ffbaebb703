// The report mail: subject and message, the pages of the report and of the subscribed dashboard,
// a link to the file (valid while the file is kept, up to S3's 7-day presigning limit; the page
// links expire with it), the file attached when small. Sent through SMTP by nodemailer,
// one mail per recipient (each with its own Message-ID and ledger row: mail-ledger.ts).
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type Mail from 'nodemailer/lib/mailer';
import { presignUrl } from '../../../platform/s3.ts';
import { attachmentDisposition } from '../../assets/disposition.ts';
import type { BiExport, BiScheduledArtifact } from '../entities.ts';
import { MIME_TYPES } from '../exports/formats.ts';
import type { ExportStorage } from '../exports/storage.ts';

/** Files up to this size travel in the mail as well as behind the link. */
export const ATTACH_MAX_BYTES = 5 * 1024 * 1024;
const PRESIGN_MAX_SECONDS = 7 * 24 * 3600;

export interface ReportLink { url: string; expiresAt: Date }

export async function reportLink(storage: ExportStorage, exp: BiExport, now = new Date()): Promise<ReportLink> {
  const seconds = Math.max(60, Math.min(PRESIGN_MAX_SECONDS, Math.floor(((exp.expires_at?.getTime() ?? now.getTime()) - now.getTime()) / 1000)));
  const command = new GetObjectCommand({
    Bucket: storage.bucket, Key: exp.object_key, ResponseContentType: MIME_TYPES[exp.format], ResponseContentDisposition: attachmentDisposition(exp.file_name),
  });
  const url = await presignUrl(storage.s3, command, { expiresIn: seconds, publicEndpoint: storage.publicEndpoint, signingDate: now });
  return { url, expiresAt: new Date(now.getTime() + seconds * 1000) };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);

export interface DashboardLink { name: string; url: string }

export interface ReportMail {
  artifact: BiScheduledArtifact; exp: BiExport; link: ReportLink; attachment: Buffer | null; from: string; chart: Buffer | null;
  /** The report's signed page (chart and table in the browser), for report artifacts. */
  pageUrl: string | null;
  /** The subscribed dashboard's signed page, when the artifact names a dashboard still in use. */
  dashboard: DashboardLink | null;
}

export const CHART_CID = 'chart@slab5';

/** The mail without its recipient and Message-ID (set per recipient). */
export function composeMail({ artifact, exp, link, attachment, from, chart, pageUrl, dashboard }: ReportMail): Mail.Options {
  const summary = `${exp.file_name} (${exp.row_count} rows, ${size(exp.byte_size ?? 0)})`;
  const until = link.expiresAt.toISOString().replace('T', ' ').slice(0, 16);
  const text = [
    artifact.message,
    dashboard ? `Open the dashboard “${dashboard.name}”: ${dashboard.url}` : null,
    pageUrl ? `Open the report: ${pageUrl}` : null,
    `Download ${summary}: ${link.url}`,
    `The links work until ${until} UTC.`,
  ].filter(Boolean).join('\n\n');
  const html = [
    artifact.message ? `<p>${escapeHtml(artifact.message).replace(/\n/g, '<br>')}</p>` : '',
    chart ? `<p><img src="cid:${CHART_CID}" alt="${escapeHtml(artifact.name)}" width="560"></p>` : '',
    dashboard ? `<p><a href="${escapeHtml(dashboard.url)}">Open the dashboard “${escapeHtml(dashboard.name)}”</a></p>` : '',
    pageUrl ? `<p><a href="${escapeHtml(pageUrl)}">Open the report</a></p>` : '',
    `<p><a href="${escapeHtml(link.url)}">Download ${escapeHtml(summary)}</a></p>`,
    `<p style="color:#666">The links work until ${until} UTC. Sent by the scheduled report “${escapeHtml(artifact.name)}”.</p>`,
  ].join('\n');
  return {
    from, subject: artifact.subject ?? artifact.name, text, html,
    attachments: [
      ...(chart ? [{ filename: 'chart.png', content: chart, contentType: 'image/png', cid: CHART_CID }] : []),
      ...(attachment ? [{ filename: exp.file_name, content: attachment, contentType: MIME_TYPES[exp.format] }] : []),
    ],
  };
}

export async function sendMail(smtpUrl: string, mail: Mail.Options): Promise<void> {
  // Loaded on the first mail: only the worker sends any.
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}
