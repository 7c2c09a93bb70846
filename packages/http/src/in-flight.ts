/**
 * Values of requests in flight, under ids the table hands out, in a slot array (id modulo its
 * length). A `Map` or `Set` with an entry per request does the same job, but every rehash of its table
 * leaves the old table behind with its entries, and once the map is in old space the scavenger
 * keeps what those entries point at (each answer's continuation: its reply, request and result)
 * alive until the next full collection: every request's objects get promoted under load.
 */
export class InFlight<V> {
  private ids: number[] = new Array<number>(64).fill(0);
  private values: Array<V | undefined> = new Array<V | undefined>(64).fill(undefined);
  private lastId = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Stores `value` under a new id: never one in flight, never one handed out before. */
  add(value: V): number {
    if (this.count >= this.ids.length) this.grow();
    let id: number;
    do id = ++this.lastId;
    while (this.ids[id % this.ids.length] !== 0);
    const slot = id % this.ids.length;
    this.ids[slot] = id;
    this.values[slot] = value;
    this.count++;
    return id;
  }

  /** Removes and returns the value under `id`, if it is in flight. */
  take(id: number): V | undefined {
    const slot = id % this.ids.length;
    if (this.ids[slot] !== id) return undefined;
    const value = this.values[slot];
    this.ids[slot] = 0;
    this.values[slot] = undefined;
    this.count--;
    return value;
  }

  /** The values in flight. */
  *[Symbol.iterator](): IterableIterator<V> {
    for (let slot = 0; slot < this.ids.length; slot++) if (this.ids[slot] !== 0) yield this.values[slot]!;
  }

  /** Removes every value; returns them. */
  takeAll(): V[] {
    const all = [...this];
    this.ids.fill(0);
    this.values.fill(undefined);
    this.count = 0;
    return all;
  }

  /** Doubles the slots (more requests in flight than slots); ids keep their distinct slots. */
  private grow(): void {
    const { ids, values } = this;
    const length = ids.length * 2;
    this.ids = new Array<number>(length).fill(0);
    this.values = new Array<V | undefined>(length).fill(undefined);
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot]!;
      if (id === 0) continue;
      this.ids[id % length] = id;
      this.values[id % length] = values[slot];
    }
  }
}
