/** CallAbort: the cheap abort signal of the upstream call path behaves as AbortSignal does where the executor and undici rely on it. */
import { describe, expect, it } from 'vitest';
import { CallAbort } from '@capstan/runtime';
import { startHangingUpstream } from '../helpers/upstream.js';
import { Pool } from 'undici';

describe('CallAbort', () => {
  it('calls each listener once, skips removed ones, and keeps an AbortError reason', () => {
    const abort = new CallAbort();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    abort.addEventListener('abort', a, { once: true });
    abort.addEventListener('abort', b);
    abort.removeEventListener('abort', a);
    expect(abort.aborted).toBe(false);
    abort.abort();
    abort.abort();
    expect(calls).toEqual(['b']);
    expect(abort.aborted).toBe(true);
    expect(abort.reason).toBeInstanceOf(DOMException);
    expect((abort.reason as DOMException).name).toBe('AbortError');
    abort.addEventListener('abort', a);
    expect(calls).toEqual(['b']);
  });

  it('keeps the reason it was given', () => {
    const abort = new CallAbort();
    const reason = new Error('caller left');
    abort.abort(reason);
    expect(abort.reason).toBe(reason);
  });

  it('cancels an undici request in flight, as an AbortSignal does', async () => {
    const up = await startHangingUpstream({});
    const pool = new Pool(up.url);
    try {
      const abort = new CallAbort();
      const pending = pool.request({ path: '/x', method: 'GET', signal: abort as unknown as AbortSignal });
      setTimeout(() => abort.abort(), 50);
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await pool.destroy();
      await up.close();
    }
  });
});
