import test from 'ava';
import { newId } from '../../platform/ids.ts';

test('ids are unique and sort in creation order, within one millisecond and past the random pool', (t) => {
  const now = Date.now();
  // 5,000 ids in one millisecond draw more random bytes than one pooled buffer holds.
  const ids = Array.from({ length: 5000 }, () => newId('con', now));
  t.is(new Set(ids).size, ids.length);
  t.deepEqual([...ids].sort(), ids);
  const later = Array.from({ length: 500 }, (_, i) => newId('con', now + 1 + i));
  t.is(new Set([...ids, ...later]).size, ids.length + later.length);
  t.deepEqual([...ids, ...later].sort(), [...ids, ...later]);
  t.regex(ids[0]!, /^con_[0-9a-hjkmnp-tv-z]{26}$/);
});
