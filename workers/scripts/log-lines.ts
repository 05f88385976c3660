/**
 * Splits a script's stdout and stderr into lines for onLog, and stops passing them on once the
 * run's log budget is spent: a script printing in a loop must not fill the worker's memory or
 * the job's log store. Bytes are counted as the script wrote them (UTF-8).
 */
import { StringDecoder } from 'node:string_decoder';
import { formatBytes } from './units';
import type { LogLine, LogStream } from './types';

export interface LogLinesOptions {
  limitBytes: number;
  onLine: (line: LogLine) => void;
  /** Sees every complete line, also those past the budget (which onLine never gets). */
  watch?: (stream: LogStream, text: string) => void;
}

export class LogLines {
  private used = 0;
  private truncatedFlag = false;
  private readonly pending: Record<LogStream, string> = { stdout: '', stderr: '' };
  private readonly decoders: Record<LogStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(private readonly options: LogLinesOptions) {}

  get truncated(): boolean {
    return this.truncatedFlag;
  }

  push(stream: LogStream, chunk: Buffer | string): void {
    const text = this.pending[stream] + (typeof chunk === 'string' ? chunk : this.decoders[stream].write(chunk));
    const parts = text.split('\n');
    this.pending[stream] = parts.pop() ?? '';
    for (const part of parts) this.line(stream, part.endsWith('\r') ? part.slice(0, -1) : part);
    // A line that can no longer fit need not be waited for (nor held in memory) to its end.
    if (!this.truncatedFlag && Buffer.byteLength(this.pending[stream]) > this.options.limitBytes - this.used) {
      this.truncate();
    }
    if (this.truncatedFlag && this.pending[stream].length > 4096) this.pending[stream] = this.pending[stream].slice(-4096);
  }

  /** The end of output: a last line without a newline is still a line. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.pending[stream] + this.decoders[stream].end();
      this.pending[stream] = '';
      if (rest) this.line(stream, rest);
    }
  }

  private line(stream: LogStream, text: string): void {
    this.options.watch?.(stream, text);
    if (this.truncatedFlag) return;
    const size = Buffer.byteLength(text) + 1;
    if (this.used + size > this.options.limitBytes) {
      this.truncate();
      return;
    }
    this.used += size;
    this.options.onLine({ stream, text, at: new Date() });
  }

  private truncate(): void {
    this.truncatedFlag = true;
    this.options.onLine({
      stream: 'stderr',
      text: `[sightline] output truncated: the script printed more than its log limit of ${formatBytes(this.options.limitBytes)}; the rest was dropped`,
      at: new Date(),
    });
  }
}
