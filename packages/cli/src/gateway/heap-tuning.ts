/**
 * V8 settings for a long-running gateway, applied by `capstan run` before it compiles anything.
 *
 * Allocation-site pretenuring off: V8 watches each object literal and array of the code, and once
 * most of what one site made in a while is still alive at a scavenge it allocates that site's
 * later objects straight in old space, for good (a site is only reset after a full collection that
 * finds under 10% of old space alive, which a gateway with a large live heap never has). Start-up
 * and the first calls keep most of what they make, so sites that every request uses too (undici's
 * answer object, the executor's call ids, among others) end up allocating each request's objects
 * in old space; the answer points at the request's young objects, and a scavenge keeps whatever an
 * old-space object points at, dead or alive: the whole request is promoted, about 4 KB a call on
 * 200 capabilities, freed only by the next mark-compact (bench/README.md, "Allocation-site
 * pretenuring and the 200-capability gateway").
 */
import { setFlagsFromString } from 'node:v8';

/** Turns V8's allocation-site pretenuring off for this process (a gateway's request objects then start young). */
export function tuneHeapForGateway(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
