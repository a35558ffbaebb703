// CMS search on a workspace of BENCH_CMS_ENTRIES entries (English-like text drawn from a
// Zipf-shaped vocabulary: a few words everywhere, most rare), beside a neighbour workspace:
// ranked full-text search for words, and search-as-you-type with a 2-letter prefix that matches
// most of the corpus.
import { sql } from '../../platform/db.ts';
import { createWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { measure } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';
import { inTransaction } from '../../platform/transaction.ts';

const SEEDED_ENTRIES = Number(process.env.BENCH_CMS_ENTRIES ?? 100_000);

// Frequent words first: a word's chance falls with its rank (log-uniform draw).
const VOCABULARY = `the and of to a in for is on with that our your we how this from are by it new can more what
product customer team marketing launch data sales growth guide pricing platform update release story tips best
content strategy campaign email social report week year month plan process project program practice private
profile profit promise proposal protect provide public press premium prepare present preview primary principle
community company compare complete connect consider contact context control convert core cost course create
credit culture current cycle design develop digital direct discover display document domain double draft drive
engine enterprise event example expert explore feature feedback field final finance focus follow forecast format
founder framework funnel future gallery global goal guest habit handbook health highlight hiring holiday human
idea impact improve include index industry insight integrate interview invoice journey keyword knowledge landing
leader learn legal library license lifecycle local loyalty machine manage manual market measure media meeting
member method metric mobile model modern monitor network news newsletter note offer office online onboarding
open operate option order organic outcome owner partner pattern payment people performance pipeline pitch
podcast policy portal position post power quality quarter question quick ranking reach reader recap record
recruit referral region remote renewal research resource result retail retention revenue review roadmap
rollout safety scale schedule search season secret security segment seller service session setup signal
simple site skill software solution source speaker special sponsor sprint stack standard startup status
storage subscribe success summary summit support survey system target task teardown template tenant testing
thread ticket timeline tool topic tracking training trend trial trust tutorial upgrade usage user value vendor
video vision visitor voice webinar website widget workflow workshop writer zone`.split(/\s+/);

export const cmsBench: BenchSuite = async ({ deps, workspaceId, get, post, say }) => {
  const em = deps.orm.em.fork();
  const neighbour = await createWorkspace(em, { name: 'CMS neighbour' });
  const fields = [
    { key: 'slug', type: 'string' }, { key: 'summary', type: 'string' }, { key: 'body', type: 'markdown' },
    { key: 'reading_minutes', type: 'integer' }, { key: 'website', type: 'url' },
  ];
  const collections = new Map<string, string>();
  for (const ws of [workspaceId, neighbour.id]) {
    const id = `col_bench_${ws}`;
    await sql(em, `insert into cms_collections (id, workspace_id, key, name, schema) values (?, ?, 'articles', 'Articles', ?)`,
      [id, ws, JSON.stringify({ fields: fields.map((f) => ({ ...f, required: false, label: null, description: null })) })]);
    collections.set(ws, id);
  }
  const started = Date.now();
  say(`seeding ${SEEDED_ENTRIES} CMS entries (and ${SEEDED_ENTRIES / 5} in a neighbour workspace)...`);
  // 2,000 bodies and 20,000 summaries of random text, combined with a random title per entry (in
  // one transaction: the temporary tables live on its connection).
  await inTransaction(em, async (tx) => {
    await sql(tx, `create temporary table bench_words on commit drop as select string_to_array(?, ' ') as v`, [VOCABULARY.join(' ')]);
    const phrase = (n: number, seed: string) =>
      `array_to_string(array(select v[1 + floor(exp(random() * ln(array_length(v, 1))))::int] from bench_words, generate_series(1, ${n}) w where ${seed} > 0), ' ')`;
    await sql(tx, `create temporary table bench_bodies on commit drop as select g as n, ${phrase(120, 'g')} as body from generate_series(1, 2000) g`);
    await sql(tx, `create temporary table bench_summaries on commit drop as select g as n, ${phrase(18, 'g')} as summary from generate_series(1, 20000) g`);
    for (const [ws, count] of [[workspaceId, SEEDED_ENTRIES], [neighbour.id, SEEDED_ENTRIES / 5]] as const) {
      await sql(tx, `insert into cms_entries (id, workspace_id, collection_id, content_type, title, status, fields, search_short_keys, search_long_keys, created_at, updated_at)
        select 'ent_' || lpad(to_hex(g), 8, '0') || substr(md5(?), 1, 18), ?, ?, 'blog_post', initcap(${phrase(7, 'g')}),
               (array['draft', 'review', 'published', 'published'])[1 + g % 4],
               jsonb_build_object('slug', 'post-' || g, 'summary', s.summary, 'body', b.body, 'reading_minutes', g % 17, 'website', 'https://example.com/' || g),
               '{slug,summary}', '{body}', now(), now()
        from generate_series(1, ?) g
        join bench_bodies b on b.n = 1 + g % 2000
        join bench_summaries s on s.n = 1 + g % 20000`, [ws, ws, collections.get(ws), count]);
    }
  });
  await sql(em, 'analyze cms_entries');
  say(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const words = ['pipeline', 'onboarding', 'renewal', 'webinar', 'roadmap', 'retention', 'podcast', 'template', 'forecast', 'loyalty'];
  const prefixes = ['pr', 'co', 're', 'se', 'pa', 'st', 'ma', 'de', 'in', 'su'];
  let n = 0;
  const collection = collections.get(workspaceId)!;
  return [
    await measure('GET /cms/entries/search (one word, 100k entries)', 300, 1,
      () => get(`/cms/entries/search?query=${words[n++ % words.length]}%20`), { p95Ms: 50 }),
    await measure('GET /cms/entries/search (two words, the last a prefix)', 300, 1,
      () => get(`/cms/entries/search?query=${words[n++ % words.length]}%20${words[(n * 7) % words.length]!.slice(0, 4)}`), { p95Ms: 50 }),
    await measure('GET /cms/entries/search (search-as-you-type, 2-letter prefix)', 300, 1,
      () => get(`/cms/entries/search?query=${prefixes[n++ % prefixes.length]}`), { p95Ms: 50 }),
    await measure('GET /cms/entries/search (2-letter prefix, 8 concurrent clients)', 400, 8,
      () => get(`/cms/entries/search?query=${prefixes[n++ % prefixes.length]}`), { p95Ms: 250 }),
    await measure('GET /cms/entries?query (newest matches first)', 300, 1,
      () => get(`/cms/entries?query=${words[n++ % words.length]}`), { p95Ms: 50 }),
    await measure('POST /cms/entries (fields validated)', 300, 1,
      () => post('/cms/entries', {
        collection_id: collection, title: `Bench entry ${n}`, status: 'draft',
        fields: { slug: `bench-${n++}`, summary: 'A short summary', body: '# Title\n\nSome **markdown** body text.', reading_minutes: 4, website: 'https://slab5.com' },
      }), { p95Ms: 60 }),
  ];
};
