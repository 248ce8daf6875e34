/* A countdown for a short wait in guided mode ("wait up to 30 seconds for Tier 2"): started,
   paused, resumed and reset by the agent. Times are passed in (milliseconds, as Date.now()
   gives them), so the arithmetic is tested without a clock and a page's timer only redraws. */

/** "mm:ss" for a number of seconds, rounded up: a countdown shows 00:01 until the time is up. */
export function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return String(minutes).padStart(2, "0") + ":" + String(rest).padStart(2, "0");
}

export class Countdown {
  constructor(totalMs) {
    this.totalMs = totalMs;
    this.reset();
  }

  /** Back to the full time, stopped. */
  reset() {
    this.spentMs = 0;       /* time counted before the current run */
    this.startedAt = null;  /* when the current run started; null while stopped */
  }

  get running() { return this.startedAt !== null; }

  /** Starts or resumes; nothing if running or already over. */
  start(now) {
    if (!this.running && this.leftMs(now) > 0) { this.startedAt = now; }
  }

  /** Stops the count where it is. */
  pause(now) {
    if (this.running) {
      this.spentMs += now - this.startedAt;
      this.startedAt = null;
    }
  }

  /** Milliseconds left at `now` (never below zero). */
  leftMs(now) {
    const spent = this.spentMs + (this.running ? now - this.startedAt : 0);
    return Math.max(0, this.totalMs - spent);
  }

  over(now) { return this.leftMs(now) === 0; }
}
