// tests/smtp/sink.mjs: the loopback SMTP relay of the invitation tests
// (tests/smtp/sink.py under Debian's python3-aiosmtpd), for node suites.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// A relay on 127.0.0.1:port that stores each mail in dir (sink.py says
// how). start() returns once it accepts connections (15 s at most).
export class Sink {
  constructor(port, dir) { this.port = port; this.dir = dir; this.proc = null; }

  async start(env = {}) {
    this.proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${this.port}`, '-c', 'sink.Sink'],
      { env: { ...process.env, PYTHONPATH: HERE, SMTP_SINK_DIR: this.dir, ...env }, stdio: 'ignore' });
    const deadline = Date.now() + 15000;
    for (;;) {
      const up = await new Promise((resolve) => {
        const s = net.connect(this.port, '127.0.0.1', () => { s.end(); resolve(true); });
        s.on('error', () => resolve(false));
      });
      if (up) return;
      if (this.proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`the SMTP sink did not start on port ${this.port} (python3-aiosmtpd: scripts/deps)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await new Promise((r) => this.proc.once('exit', r));
    }
    this.proc = null;
  }

  get exited() { return this.proc === null || this.proc.exitCode !== null; }

  // Every stored mail, in order: {mail_from, rcpt_tos, headers, subject, body}.
  received() {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((f) => f.endsWith('.json')).sort()
      .map((f) => JSON.parse(readFileSync(path.join(this.dir, f), 'utf8')));
  }
}
