// Tests for a proxy worker's configuration: its own id in reports and its own status port.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '@smart-mining/platform';
import { workerConfig } from './proxy-workers.ts';

describe('workerConfig', () => {
  it('names worker n <id>/worker-<n> and gives it statusPort + n', () => {
    const config = loadConfig({ file: null, env: { SM_PROXY_ID: 'edge', SM_PROXY_WORKERS: '2' } });
    const [w0, w1] = [workerConfig(config, 0), workerConfig(config, 1)];
    assert.deepEqual([w0.proxy.id, w1.proxy.id], ['edge/worker-0', 'edge/worker-1']);
    assert.deepEqual([w0.proxy.statusPort, w1.proxy.statusPort], [9333, 9334]);
    assert.deepEqual(w1.proxy.listeners, config.proxy.listeners, 'the same Stratum listeners');
    assert.equal(config.proxy.id, 'edge', 'the shared configuration is left as it was');
  });

  it('keeps no status port as none, and port 0 as a free port for each', () => {
    const config = loadConfig({ file: null, env: { SM_PROXY_STATUS_PORT: '0' } });
    assert.equal(workerConfig(config, 3).proxy.statusPort, 0);
    const none = { ...config, proxy: { ...config.proxy, statusPort: null } };
    assert.equal(workerConfig(none, 3).proxy.statusPort, null);
  });
});
