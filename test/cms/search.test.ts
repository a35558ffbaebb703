import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { collection, entry } from './helpers.ts';
import { rankedPageSql } from '../../modules/cms/search/search.ts';
import { parseSearchText, resolveTsquery } from '../../modules/cms/search/query.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const FIELDS = [{ key: 'slug', type: 'string' }, { key: 'summary', type: 'string' }, { key: 'body', type: 'markdown' }, { key: 'page', type: 'html' }, { key: 'website', type: 'url' }];

const search = async (client: any, q: string) => {
  const res = await client.get(`/cms/entries/search?${q}`);
  return res;
};

test('results are ranked: a title match outranks a string field, which outranks a long-form field', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, FIELDS);
  const inBody = await entry(client, { collection_id: col.id, title: 'Quarterly notes', fields: { body: 'We shipped the pipeline dashboard this quarter.' } });
  const inTitle = await entry(client, { collection_id: col.id, title: 'Pipeline dashboard launch', fields: { body: 'Details inside.' } });
  const inSummary = await entry(client, { collection_id: col.id, title: 'Release notes', fields: { summary: 'The pipeline dashboard is live', body: 'More.' } });
  await entry(client, { collection_id: col.id, title: 'Unrelated', fields: { body: 'Nothing to see.' } });
  const res = await search(client, 'query=pipeline%20dashboard');
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.data.map((e: any) => e.id), [inTitle.id, inSummary.id, inBody.id]);
  const scores = res.body.data.map((e: any) => e.score);
  t.true(scores[0] > scores[1] && scores[1] > scores[2] && scores[2] > 0 && scores[0] < 1, JSON.stringify(scores));
  t.deepEqual(res.body.data[0].highlights, [{ field: 'title', snippet: '<mark>Pipeline</mark> <mark>dashboard</mark> launch' }]);
  t.deepEqual(res.body.data[1].highlights, [{ field: 'fields.summary', snippet: 'The <mark>pipeline</mark> <mark>dashboard</mark> is live' }]);
  t.deepEqual(res.body.data[2].highlights, [{ field: 'fields.body', snippet: 'We shipped the <mark>pipeline</mark> <mark>dashboard</mark> this quarter.' }]);
  t.like(res.body.data[0], { title: 'Pipeline dashboard launch', collection_id: col.id, status: 'draft' });
});

test('snippets are HTML-escaped with only <mark> as markup; HTML fields lose their tags; URLs are not searched', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, FIELDS);
  const e = await entry(client, {
    collection_id: col.id, title: 'Escaping <script>alert("x")</script> rocket',
    fields: { page: '<div class="hero"><h1>Rocket</h1><img src=x onerror=alert(1)> fuel</div>', website: 'https://rocket.example' },
  });
  const res = await search(client, 'query=rocket');
  t.deepEqual(res.body.data.map((x: any) => x.id), [e.id]);
  const [title, page] = res.body.data[0].highlights;
  // The parser reads tags as tags, which snippets leave out; the rest is escaped.
  t.is(title.field, 'title');
  t.regex(title.snippet, /^Escaping +alert\(&quot;x&quot;\) +<mark>rocket<\/mark>$/);
  t.is(page.field, 'fields.page');
  t.false(/<(?!\/?mark>)/.test(page.snippet), page.snippet);
  t.regex(page.snippet, /<mark>Rocket<\/mark>\s+fuel/);
  t.is(res.body.data[0].highlights.length, 2, 'the url field is not a text field');
});

test('a match deep in a long text gets its snippet from around it, whatever the text\'s length', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, FIELDS);
  const body = `${'Filler words about nothing in particular. '.repeat(1500)}Then the Zeppelin arrived over the city. ${'More filler text follows here. '.repeat(500)}`;
  const e = await entry(client, { collection_id: col.id, title: 'Airships', fields: { body, summary: 'Café culture' } });
  const res = await search(client, 'query=zeppelin');
  t.deepEqual(res.body.data.map((x: any) => x.id), [e.id]);
  const [highlight] = res.body.data[0].highlights;
  t.is(highlight.field, 'fields.body');
  t.regex(highlight.snippet, /<mark>Zeppelin<\/mark> arrived over the city/);
  t.true(highlight.snippet.length < 400, highlight.snippet);
  // Accents do not hide the window's match either.
  const accented = await search(client, 'query=cafe');
  t.deepEqual(accented.body.data[0].highlights, [{ field: 'fields.summary', snippet: '<mark>Café</mark> culture' }]);
});

test('the last word matches as a prefix (search-as-you-type) unless the query ends with a space; every word must match', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, FIELDS);
  const marketing = await entry(client, { collection_id: col.id, title: 'Marketing automation guide', fields: {} });
  const market = await entry(client, { collection_id: col.id, title: 'Market sizing', fields: {} });
  const ids = async (q: string) => (await search(client, `query=${encodeURIComponent(q)}`)).body.data.map((e: any) => e.id);
  t.deepEqual((await ids('ma')).sort(), [marketing.id, market.id].sort());
  t.deepEqual(await ids('marketi'), [marketing.id]);
  t.deepEqual(await ids('market '), [market.id]);
  t.deepEqual(await ids('automation mark'), [marketing.id]);
  t.deepEqual(await ids('sizing mark'), [market.id]);
  t.deepEqual(await ids('guide sizing'), []);
  t.deepEqual(await ids('MARKETING, automation!'), [marketing.id], 'case and punctuation do not matter');
});

test('accents are ignored, and a site\'s language stems its entries\' words', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, FIELDS);
  const english = (await client.post('/cms/sites', { key: 'en', name: 'EN', search_language: 'english' })).body.data;
  const cafe = await entry(client, { collection_id: col.id, title: 'Le café de Zoë', fields: {} });
  const running = await entry(client, { collection_id: col.id, site_id: english.id, title: 'Running shoes reviewed', fields: {} });
  const plain = await entry(client, { collection_id: col.id, title: 'Runs and runners', fields: {} });
  const ids = async (q: string) => (await search(client, q)).body.data.map((e: any) => e.id);
  t.deepEqual(await ids('query=cafe%20zoe%20'), [cafe.id]);
  t.deepEqual(await ids(`query=${encodeURIComponent('CAFÉ ')}`), [cafe.id]);
  // english stems "run" to match running; simple entries match only the word itself (or a prefix).
  t.deepEqual(await ids('query=run%20'), [running.id]);
  t.deepEqual(await ids(`query=review%20&site_id=${english.id}`), [running.id]);
  t.deepEqual((await ids('query=run')).sort(), [running.id, plain.id].sort());
  // A stop word alone finds nothing on an english site, and is no error.
  const stop = await search(client, `query=the%20&site_id=${english.id}`);
  t.is(stop.status, 200);
  t.deepEqual(stop.body.data, []);
});

test('filters narrow the search; archived entries only with status=archived; other workspaces never show', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const col = await collection(a.client, FIELDS);
  const other = await collection(a.client, FIELDS);
  const site = (await a.client.post('/cms/sites', { key: 's', name: 'S' })).body.data;
  const campaign = (await a.client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  const e1 = await entry(a.client, { collection_id: col.id, title: 'Widget one', content_type: 'article', fields: {} });
  const e2 = await entry(a.client, { collection_id: other.id, site_id: site.id, campaign_id: campaign.id, title: 'Widget two', status: 'review', fields: {} });
  const e3 = await entry(a.client, { collection_id: col.id, title: 'Widget three', fields: {} });
  await a.client.patch(`/cms/entries/${e3.id}`, { status: 'archived' });
  const theirCol = await collection(b.client, FIELDS);
  await entry(b.client, { collection_id: theirCol.id, title: 'Widget four', fields: {} });
  const ids = async (q: string) => {
    const res = await search(a.client, `query=widget&${q}`);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((e: any) => e.id).sort();
  };
  t.deepEqual(await ids(''), [e1.id, e2.id].sort());
  t.deepEqual(await ids(`collection_id=${col.id}`), [e1.id]);
  t.deepEqual(await ids(`site_id=${site.id}`), [e2.id]);
  t.deepEqual(await ids(`campaign_id=${campaign.id}`), [e2.id]);
  t.deepEqual(await ids('content_type=article'), [e1.id]);
  t.deepEqual(await ids('status=review'), [e2.id]);
  t.deepEqual(await ids('status=archived'), [e3.id]);
  t.deepEqual((await search(b.client, 'query=widget')).body.data.length, 1);
});

test('a query without a word answers 422 naming query', async (t) => {
  const { client } = await h.workspace();
  for (const q of ['query=%20%20%20', 'query=%21%3F%2D', '', 'query=']) {
    const res = await search(client, q);
    t.is(res.status, 422, q);
    t.deepEqual(res.contractErrors, []);
    t.deepEqual(res.body.error.details.fields.map((f: any) => f.field), ['query'], q);
  }
});

test('pages walk the ranking without repeats or skips, even while entries are added; cursors are bound to the search', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, FIELDS);
  const made: string[] = [];
  // Scores tie in groups (same text), so pages cut through equal scores and order by id there.
  for (let i = 0; i < 23; i++) {
    const title = i % 3 === 0 ? 'Orbit orbit orbit' : i % 3 === 1 ? 'Orbit report' : 'Quarterly report';
    made.push((await entry(client, { collection_id: col.id, title, fields: { body: i % 3 === 2 ? 'mentions orbit once' : 'no' } })).id);
  }
  const seen: string[] = [];
  const scores: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: any = await search(client, `query=orbit&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    seen.push(...res.body.data.map((e: any) => e.id));
    scores.push(...res.body.data.map((e: any) => e.score));
    cursor = res.body.next_cursor;
    if (pages++ === 1) {
      // Added mid-walk: it may show up, but must not shift what was seen or is still to come.
      await entry(client, { collection_id: col.id, title: 'Orbit orbit orbit orbit', fields: {} });
    }
  } while (cursor);
  const expected = made; // every entry mentions orbit
  t.is(new Set(seen).size, seen.length, 'no repeats');
  t.deepEqual(expected.filter((id) => !seen.includes(id)), [], 'no skips');
  for (let i = 1; i < scores.length; i++) t.true(scores[i]! <= scores[i - 1]!, 'scores never rise');

  const first = await search(client, 'query=orbit&limit=4');
  const otherSearch = await search(client, `query=report&limit=4&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.is(otherSearch.status, 422);
  t.is(otherSearch.body.error.code, 'invalid_cursor');
  const edited = await search(client, `query=orbit&limit=4&cursor=${encodeURIComponent(first.body.next_cursor.slice(0, -2))}xx`);
  t.is(edited.status, 422);
  t.is(edited.body.error.code, 'invalid_cursor');
});

test('the search reads the GIN index (EXPLAIN of the query it runs), within the workspace', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client, FIELDS);
  for (let i = 0; i < 5; i++) await entry(client, { collection_id: col.id, title: `Nebula ${i}`, fields: {} });
  // Many entries of this workspace and of another one: reading the table, or this workspace's
  // entries newest first, would cost more than the index.
  const other = await h.workspace();
  const otherCol = await collection(other.client, FIELDS);
  for (const [ws, col_id] of [[id, col.id], [other.id, otherCol.id]]) {
    await h.sql(`insert into cms_entries (id, workspace_id, collection_id, content_type, title, status)
      select 'ent_filler_' || ? || '_' || g, ?, ?, 'other', 'Filler entry ' || g || ' about ' || md5(g::text), 'draft' from generate_series(1, 25000) g`, [ws, ws, col_id]);
  }
  await h.sql('analyze cms_entries');
  // A whole word (the query ends with a space): its frequency is known to the planner.
  const filters = { query: 'nebula ' };
  const ctx = h.tenant(id, h.deps.orm.em.fork());
  const tsquery = (await resolveTsquery(ctx, parseSearchText(filters.query)))!;
  t.deepEqual(tsquery, { all: "('nebula')", any: "('nebula')" });
  const query = rankedPageSql(ctx, filters, parseSearchText(filters.query).words, tsquery, null, 25);
  const plan = (await h.sql<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, query.params)).map((r) => r['QUERY PLAN']).join('\n');
  t.regex(plan, /Bitmap Index Scan on cms_entries_search_idx/, plan);
  t.regex(plan, new RegExp(`Index Cond: \\(\\(workspace_id = '${id}'::text\\) AND \\(search_vector @@`), plan);
  t.notRegex(plan, /Seq Scan on cms_entries/, plan);
  t.is((await search(client, 'query=nebul')).body.data.length, 5);
});
