/** Mean and standard deviation of a series, updated one value at a time (Welford's method). */
export class RunningStats {
  #n = 0;
  #mean = 0;
  #m2 = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) return;
    this.#n++;
    const d = x - this.#mean;
    this.#mean += d / this.#n;
    this.#m2 += d * (x - this.#mean);
  }

  get count(): number {
    return this.#n;
  }

  get mean(): number {
    return this.#mean;
  }

  /** Population standard deviation (0 with fewer than two values). */
  get stdDev(): number {
    return this.#n < 2 ? 0 : Math.sqrt(this.#m2 / this.#n);
  }
}
