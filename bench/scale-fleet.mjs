// The many-capability folder of the scale scenarios (gc.mjs, scale-ab.mjs) and their probe.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityFolder } from './generate.mjs';
import { freePortRange, HOST, ROOT } from './lib.mjs';

/** `count` generated capabilities (25 operations each) in bench/.generated/NAME: capability i serves REST on `base + i`, MCP on `base + count + i`. */
export async function scaleFolder(name, count) {
  const dir = join(ROOT, `bench/.generated/${name}`);
  rmSync(dir, { recursive: true, force: true });
  const base = await freePortRange(2 * count);
  capabilityFolder(dir, { count, operations: 25 * count, basePort: base, address: HOST });
  return { dir, base };
}

/** True when the request answers 2xx (its body read); false on any other answer or error. */
export async function ok2xx(url, init) {
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return res.status < 300;
  } catch {
    return false;
  }
}
