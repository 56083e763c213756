import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { REPO_ROOT, freePort } from '../helpers/serverProcess';
import { onTeardown, tempDir } from '../helpers/testServer';

jest.setTimeout(60_000);

test('without ADMIN_EMAIL, the first start prints the set-up link as a plain console line of its own, and in the log', async () => {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: tempDir(), LOG_LEVEL: 'info' };
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  delete env.PUBLIC_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTeardown(async () => {
    child.kill('SIGKILL');
    await exited;
  });

  const LINK = /^https?:\/\/\S+\/setup#token=[A-Za-z0-9_-]{43}$/;
  const lines: string[] = [];
  // Until the server listens and the link was printed (main prints it once the server is up).
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.some((l) => l.includes('"crisis-cell server listening"')) && lines.some((l) => LINK.test(l))) resolve();
    });
    void exited.then(() => reject(new Error(`the server stopped:\n${lines.join('\n')}`)));
  });

  const plain = lines.filter((l) => LINK.test(l));
  expect(plain).toHaveLength(1);
  // Said in words just before, on its own line too.
  expect(lines[lines.indexOf(plain[0]!) - 1]).toBe('No account yet. Open this one-time link to create the administrator:');
  // And the log line still carries it, for whoever reads the log instead.
  const logged = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { setupUrl?: string });
  expect(logged.filter((l) => l.setupUrl === plain[0])).toHaveLength(1);
});
