/**
 * A bounded FIFO that grows on demand up to `capacity` and then overwrites its oldest entry.
 * Growing lazily matters: the server holds one per session and most sessions stay small.
 */
export class Ring<T> {
  readonly capacity: number;
  #items: (T | undefined)[] = [];
  /** Index of the oldest entry in #items. */
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Ring capacity must be ≥ 1, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Number of entries. */
  get length(): number {
    return this.#length;
  }

  /** Appends `value`; returns the entry it evicted when full, else undefined. */
  push(value: T): T | undefined {
    const items = this.#items;
    if (this.#length < items.length) {
      items[(this.#head + this.#length) % items.length] = value;
      this.#length++;
      return undefined;
    }
    if (items.length < this.capacity) {
      // Full but allowed to grow: make the storage contiguous first (rare: only after shifts).
      if (this.#head !== 0) {
        this.#items = [...items.slice(this.#head), ...items.slice(0, this.#head)];
        this.#head = 0;
      }
      this.#items.push(value);
      this.#length++;
      return undefined;
    }
    const evicted = items[this.#head];
    items[this.#head] = value;
    this.#head = (this.#head + 1) % items.length;
    return evicted;
  }

  /** Removes and returns the oldest entry. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const items = this.#items;
    const value = items[this.#head];
    items[this.#head] = undefined;
    this.#head = (this.#head + 1) % items.length;
    this.#length--;
    return value;
  }

  /** Entry `index` counted from the oldest (0), or undefined when out of range. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    return this.#items[(this.#head + index) % this.#items.length];
  }

  /** Drops every entry and releases the storage. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#length = 0;
  }
}
