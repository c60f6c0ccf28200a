// Tests for the shared benchmarks document: each command replaces only its own section.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sectionOf, withSection } from '../../scripts/doc-sections.ts';

const DOC =
  '# Benchmarks\n\nRun today.\n\n## Ingest\n\nfast\n\n## Mutation testing\n\n80 %\n\n## API\n\nquick\n';

describe('benchmark document sections', () => {
  it('finds a section up to the next heading', () => {
    assert.equal(sectionOf(DOC, 'Mutation testing'), '## Mutation testing\n\n80 %');
    assert.equal(sectionOf(DOC, 'API'), '## API\n\nquick');
    assert.equal(sectionOf(DOC, 'Missing'), undefined);
  });

  it('replaces one section and leaves the others, or appends it', () => {
    const next = withSection(DOC, 'Mutation testing', '## Mutation testing\n\n85 %');
    assert.equal(next, DOC.replace('80 %', '85 %'));
    const appended = withSection(
      '# Benchmarks\n\n## Ingest\n\nfast\n',
      'Mutation testing',
      '## Mutation testing\n\n1 %',
    );
    assert.equal(appended, '# Benchmarks\n\n## Ingest\n\nfast\n\n## Mutation testing\n\n1 %\n');
  });
});
