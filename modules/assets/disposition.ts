// Content-Disposition for a download, carrying the original file name (RFC 6266): a plain
// `filename` for every client (non-ASCII, quotes, backslashes and control characters replaced),
// and `filename*` (RFC 5987, UTF-8, percent-encoded) when the name is not plain ASCII.
const PLAIN = /^[\x20-\x7e]*$/;

export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const plain = `attachment; filename="${fallback}"`;
  if (PLAIN.test(fileName) && !/["\\]/.test(fileName)) return plain;
  return `${plain}; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** encodeURIComponent leaves '()*!' (and "'") as is; RFC 5987's attr-char does not allow them. */
const rfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
