/** Helpers of the shared-session tests: a slow upstream call, and a stream cut after its first event. */
import type { ServerResponse } from 'node:http';
import { json, type Seen } from '../helpers/upstream.js';
import { fleetUpstream, NORTHERN_STAR } from './fleet.js';

/** The fleet upstream where `/ships/IMO-SLOW` answers after `delayMs`: long enough to cut its stream mid-way. */
export function slowFleetUpstream(delayMs: number): (req: Seen, res: ServerResponse) => void {
  return (req, res) => {
    if (req.url !== '/ships/IMO-SLOW') return fleetUpstream(req, res);
    setTimeout(() => json(res, 200, { ...NORTHERN_STAR, imo: 'IMO-SLOW' }), delayMs);
  };
}

/** The response with its SSE body cut (as a dropped connection) right after the first event carrying an id. */
export function cutAfterFirstEventId(response: Response): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      controller.enqueue(value);
      if (new TextDecoder().decode(value).includes('id: ')) {
        await reader.cancel();
        controller.error(new Error('connection cut by the test'));
      }
    },
  });
  return new Response(stream, { status: response.status, headers: response.headers });
}

/** Fast reconnection for the SDK client (the default waits a second). */
export const FAST_RECONNECT = { initialReconnectionDelay: 50, maxReconnectionDelay: 300, reconnectionDelayGrowFactor: 1.5, maxRetries: 5 };
