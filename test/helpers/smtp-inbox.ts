// An SMTP server of a test's own on loopback (smtp-server, no TLS, no auth): every mail it takes,
// parsed by mailparser, with its envelope's recipients, in arrival order.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail { envelope: string[]; mail: ParsedMail }

export interface SmtpInbox {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}

export interface SmtpInboxOptions {
  /** Settles when the server may answer a mail it has taken (kept in `mails` either way); default at once. */
  answer?: (received: ReceivedMail) => Promise<void> | void;
  /** A sender killed mid-session resets its connection: an error of that session, not of the test. */
  ignoreSessionErrors?: boolean;
}

export async function startSmtpInbox(opts: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then(async (mail) => {
        const received = { envelope: session.envelope.rcptTo.map((r) => r.address), mail };
        mails.push(received);
        try { await opts.answer?.(received); } finally { done(); }
      }, done);
    },
  });
  if (opts.ignoreSessionErrors) smtp.on('error', () => undefined);
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise<void>((ok) => smtp.close(() => ok())),
  };
}
