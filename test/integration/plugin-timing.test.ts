/**
 * The plugin's start-up times for the bench: with a timing file, the first answered call appends
 * one line saying when the process started, listened, was first called and first answered.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { serve } from '../../src/plugin/main';
import type { StartupTiming } from '../../src/plugin/timing';
import { Empty, pluginClient } from '../fixtures/plugin-client';

describe('the plugin with a start-up timing file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cen-flowlog-timing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one line after its first answer: started ≤ loaded ≤ listening ≤ first call ≤ first answer', async () => {
    const file = path.join(dir, 'timing.jsonl');
    const { port, server } = await serve({ env: {}, log: () => undefined }, { timingFile: file });
    const client = pluginClient(port);
    try {
      const info = await client.rpc.getPluginInfo(new Empty());
      await client.rpc.getPluginInfo(new Empty());
      expect(info.getVersion()).not.toBe('');
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      const t = JSON.parse(lines[0]) as StartupTiming;
      expect(t.pid).toBe(process.pid);
      expect(t.firstCall?.method).toBe('getPluginInfo');
      expect(t.firstAnswer?.method).toBe('getPluginInfo');
      const order = [t.startedAt, t.loadedAt, t.listeningAt, t.firstCall?.at, t.firstAnswer?.at];
      expect(order.every((x) => typeof x === 'number')).toBe(true);
      expect([...(order as number[])].sort((a, b) => a - b)).toEqual(order);
    } finally {
      await client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    }
  });
});
