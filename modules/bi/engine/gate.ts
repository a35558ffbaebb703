// At most `max` statements run at once in a process (each holds DuckDB threads and a slot of
// libuv's thread pool); the others wait their turn, for at most their own timeout.
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** Resolves with the function that gives the slot back, or rejects with `onTimeout()` after `timeoutMs`. */
  enter(timeoutMs: number, onTimeout: () => Error): Promise<() => void> {
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve(this.leave());
    }
    return new Promise((resolve, reject) => {
      const turn = () => { clearTimeout(timer); this.running++; resolve(this.leave()); };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(turn);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(onTimeout());
      }, timeoutMs);
      this.waiting.push(turn);
    });
  }

  private leave(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
      this.waiting.shift()?.();
    };
  }
}
