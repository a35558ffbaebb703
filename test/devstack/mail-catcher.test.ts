// The dev stack's mail catcher: maildev from npm, started like the other embedded services. A
// mail sent the way scheduled reports send theirs shows in its inbox API (what the web inbox
// reads), and the process stops with its stopper.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMailCatcher } from '../../tools/devstack/services.ts';
import { sendMail } from '../../modules/bi/artifacts/mail.ts';

const root = resolve(import.meta.dirname, '../..');
const slot = Number(process.env.SLAB5_TEST_SLOT ?? 0);

test('the mail catcher receives over SMTP and shows the mail in its inbox', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'slab5-mail-'));
  const mail = await startMailCatcher(root, dir, { smtp: 21025 + slot * 100, web: 21080 + slot * 100 });
  try {
    t.regex(mail.smtpUrl, /^smtp:\/\/127\.0\.0\.1:\d+$/);
    await sendMail(mail.smtpUrl, { from: 'Slab5 reports <reports@slab5.localhost>', to: 'ada@example.com', subject: 'Weekly pipeline', text: 'Your report is ready.' });
    const inbox = await (await fetch(`${mail.inboxUrl}/api/email`)).json() as { subject: string; to: { address: string }[] }[];
    t.is(inbox.length, 1);
    t.is(inbox[0]!.subject, 'Weekly pipeline');
    t.deepEqual(inbox[0]!.to.map((x) => x.address), ['ada@example.com']);
  } finally {
    await mail.managed.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  await t.throwsAsync(fetch(`${mail.inboxUrl}/api/email`), undefined, 'stopped with its stopper');
});
