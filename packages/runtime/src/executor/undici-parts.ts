/**
 * The parts of undici the executor uses, required from their own modules: undici's index loads
 * all it has (fetch, WebSocket, EventSource, cache storage, cookies, mock agents), which cost a
 * gateway about 70 ms of CPU and 10 MB of RSS at start-up for nothing it uses. The paths are
 * undici's own layout (it has no exports map); `test/executor/undici-parts.test.ts` checks these
 * are the very classes undici exports, so an upgrade that moves one fails there.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

// What undici's index does for every dispatcher: `request`, `stream`, `pipeline`, `connect` and
// `upgrade` are added to the prototype from its api modules.
Object.assign((require('undici/lib/dispatcher/dispatcher.js') as typeof Undici.Dispatcher).prototype, require('undici/lib/api/index.js'));

/** undici's `Pool`. */
export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
export type Pool = Undici.Pool;

/** undici's `util.parseHeaders`: raw header pairs to an object of lower-case names, as `request()` answers them. */
export const parseHeaders = (require('undici/lib/core/util.js') as { parseHeaders: typeof Undici.util.parseHeaders }).parseHeaders;

/** undici's `interceptors.retry`. */
export const retryInterceptor = require('undici/lib/interceptor/retry.js') as typeof Undici.interceptors.retry;

let web: { FormData: typeof Undici.FormData; Response: typeof Undici.Response } | undefined;

/** undici's `FormData` and `Response` (multipart bodies), loaded by the first one built. */
export function webClasses(): { FormData: typeof Undici.FormData; Response: typeof Undici.Response } {
  web ??= {
    FormData: (require('undici/lib/web/fetch/formdata.js') as typeof Undici).FormData,
    Response: (require('undici/lib/web/fetch/response.js') as typeof Undici).Response,
  };
  return web;
}
