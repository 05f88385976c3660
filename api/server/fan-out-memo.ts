/**
 * A memo that lives for one fan-out: until the event loop's next check phase. One job event
 * reaches every local subscriber as the same object within one turn, so work keyed by that
 * object is done once for all of them; a value changed later can never be served stale.
 */
export class FanOutMemo<K extends object, V> {
  #entries = new WeakMap<K, V>();
  #clearing = false;

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): void {
    this.#entries.set(key, value);
    if (this.#clearing) return;
    this.#clearing = true;
    setImmediate(() => {
      this.#entries = new WeakMap();
      this.#clearing = false;
    });
  }
}
