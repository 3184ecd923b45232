import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io.js';

/** capture is a CliIO whose stdout and stderr are collected as text, for running commands in-process. */
export function capture(env: NodeJS.ProcessEnv = {}): {
  io: CliIO;
  out: () => string;
  err: () => string;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env }, out: () => out, err: () => err };
}
