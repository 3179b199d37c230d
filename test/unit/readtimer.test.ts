import * as diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { defaultSessionFactory } from '../../src/core/session';
import { systemClock } from '../../src/pacing/clock';
import { startEmulator, type Emulator } from '../../src/emulator';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

/** The read timer httpx left on the socket of each answered request (its field is a local symbol). */
function readTimerOf(socket: object): NodeJS.Timeout | undefined {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'TIMER::READ_TIMER');
  return key ? ((socket as Record<symbol, unknown>)[key] as NodeJS.Timeout) : undefined;
}

describe('a finished request', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ ratePerSecond: 0 });
  });
  afterAll(() => emu.close());

  it('leaves no read timer running to hold its request and response for the read timeout', async () => {
    const timers: NodeJS.Timeout[] = [];
    const seen = (msg: unknown) => {
      const socket = (msg as { request: ClientRequest }).request.socket;
      const timer = socket && readTimerOf(socket);
      if (timer) timers.push(timer);
    };
    diagnostics.subscribe('http.client.response.finish', seen);
    try {
      const session = defaultSessionFactory(systemClock, () => undefined)(
        {
          endpoint: { protocol: 'HTTP', host: new URL(emu.endpoint).host },
          requestTimeoutMs: 30_000,
          credentials: { accessKey: emu.accessKeyId, secretKey: emu.accessKeySecret },
        },
        Date.now() + 10_000,
      );
      for (let i = 0; i < 3; i++) await session.api.describeFlowlogs({ RegionId: 'cn-hangzhou' });
    } finally {
      diagnostics.unsubscribe('http.client.response.finish', seen);
    }
    expect(timers).toHaveLength(3);
    // Node marks a cleared timer destroyed; a running one would fire (and free its exchange) only after 30 s.
    expect(timers.map((t) => (t as unknown as { _destroyed: boolean })._destroyed)).toEqual([true, true, true]);
  });
});
