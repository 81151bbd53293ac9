// `rnn-adder serve` as a real process: started, its URL read from its --json line, stopped with Ctrl-C (SIGINT).
import { spawn } from 'child_process';

export interface ServeProcess {
  /** The one JSON object it printed: url, model, backend. */
  printed: { url: string; model: string; backend: string };
  /** Sends SIGINT and resolves with the exit status and everything it wrote on stderr. */
  stop(): Promise<{ status: number | null; stderr: string }>;
}

/** Runs `command ...args serve --port 0 --json ...` in `cwd` and waits for its URL. */
export async function startServe(command: string, args: string[], cwd?: string): Promise<ServeProcess> {
  const child = spawn(command, [...args, 'serve', '--port', '0', '--json'], { cwd });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve();
    });
    child.on('close', () => reject(new Error(`serve exited before printing its URL: ${stderr}`)));
  });
  return {
    printed: JSON.parse(stdout),
    stop: async () => {
      child.kill('SIGINT');
      return { status: await exited, stderr };
    },
  };
}
