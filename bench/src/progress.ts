import { SingleBar } from 'cli-progress';

/** What a running phase reports as it goes: a bar on a terminal, a line every few seconds in a log. */
export interface Progress {
  start(label: string, total: number, unit: string): void;
  /** `value` of `total`; `requests` done so far in this phase, for the rate. */
  update(value: number, requests: number): void;
  stop(): void;
  /** A line of its own, printed above the bar. */
  log(line: string): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: SingleBar | undefined;
  let started = 0;
  return {
    start(label, total, unit) {
      bar?.stop();
      started = Date.now();
      bar = new SingleBar({
        stream,
        format: `${label.padEnd(28)} [{bar}] {percentage}% | {value}/{total} ${unit} | {requests} req | {rate} req/s`,
        barsize: 24,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 5000,
        fps: 5,
      });
      bar.start(total, 0, { requests: 0, rate: 0 });
    },
    update(value, requests) {
      const seconds = (Date.now() - started) / 1000;
      bar?.update(value, { requests, rate: seconds > 0 ? Math.round(requests / seconds) : 0 });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
    log(line) {
      if (bar && stream.isTTY) {
        // Clears the bar's line first; the bar redraws itself below on its next tick.
        stream.write(`\r\x1b[2K${line}\n`);
      } else {
        stream.write(`${line}\n`);
      }
    },
  };
}

/** For tests and for callers that want no output. */
export const silentProgress: Progress = {
  start: () => undefined,
  update: () => undefined,
  stop: () => undefined,
  log: () => undefined,
};
