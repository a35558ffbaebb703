import test from 'ava';
import { loadContract } from '../../api/contract.ts';
import { registry } from '../../app/modules.ts';

test('every operation of the contract\'s Support tag is implemented', (t) => {
  const contract = loadContract();
  const support = Object.values(contract.document.paths as Record<string, Record<string, { operationId: string; tags?: string[] }>>)
    .flatMap((path) => Object.values(path)).filter((op) => op.tags?.includes('Support')).map((op) => op.operationId).sort();
  t.is(support.length, 9);
  t.deepEqual(support.filter((op) => !(op in registry.operations)), []);
});
