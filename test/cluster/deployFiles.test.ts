import fs from 'node:fs';
import path from 'node:path';
import { configFromEnv } from '../../server/config';

/**
 * There is no Docker engine here to run docker-compose.yml and deploy/Dockerfile, so their
 * promises are checked as text, and the environment the nodes get is parsed by the server's own
 * configuration (a misspelt variable would be silently ignored by the server otherwise).
 */
const ROOT = path.resolve(__dirname, '../..');
const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const dockerfile = fs.readFileSync(path.join(ROOT, 'deploy/Dockerfile'), 'utf8');

/** The lines of one top-level block of a service (`  name:` up to the next line indented by two spaces or less). */
function block(name: string): string {
  const start = compose.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`no service ${name} in docker-compose.yml`);
  const rest = compose.slice(start + 1).split('\n');
  const out = [rest[0]!];
  for (const line of rest.slice(1)) {
    if (/^ {0,2}\S/.test(line)) break;
    out.push(line);
  }
  return out.join('\n');
}

/** `KEY: value` pairs of the nodes' shared environment (the x-node anchor). */
function nodeEnvironment(): Record<string, string> {
  const anchor = compose.slice(compose.indexOf('environment: &node-env'), compose.indexOf('depends_on: &node-deps'));
  const env: Record<string, string> = {};
  for (const m of anchor.matchAll(/^ {4}([A-Z_]+): (.*)$/gm)) env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  return env;
}

describe('docker-compose.yml and deploy/Dockerfile', () => {
  it('the nodes trust nginx for the client address, know their public URL, share one checkpoint key and drain within the stop grace', () => {
    const env = nodeEnvironment();
    expect(env.TRUST_PROXY).toBe('true');
    expect(env.PUBLIC_URL).toBe('${PUBLIC_URL:-http://localhost:${HTTP_PORT:-8080}}');
    expect(env.CHECKPOINT_KEY_FILE).toBe('/app/keys/checkpoint-key.pem');
    expect(env.SHUTDOWN_GRACE_SECONDS).toBe('${SHUTDOWN_GRACE_SECONDS:-10}');
    // As the server reads them, with compose's defaults filled in.
    const config = configFromEnv({ TRUST_PROXY: env.TRUST_PROXY, PUBLIC_URL: 'http://localhost:8080', CHECKPOINT_KEY_FILE: env.CHECKPOINT_KEY_FILE, SHUTDOWN_GRACE_SECONDS: '10' });
    expect(config).toMatchObject({ trustProxy: true, publicUrl: 'http://localhost:8080', checkpointKeyFile: '/app/keys/checkpoint-key.pem', shutdownGraceSeconds: 10 });
    // docker stop must not SIGKILL a node that is still draining.
    const stopGrace = Number(/stop_grace_period: (\d+)s/.exec(compose.slice(compose.indexOf('x-node'), compose.indexOf('\nservices:')))?.[1]);
    expect(stopGrace).toBeGreaterThan(config.shutdownGraceSeconds);
  });

  it('each node has a data volume of its own and mounts the shared key volume', () => {
    for (const n of [1, 2, 3]) {
      const service = block(`node-${n}`);
      expect(service).toContain(`NODE_ID: node-${n}`);
      expect(service).toContain(`- node-${n}-data:/app/data`);
      expect(service).toContain('- checkpoint-key:/app/keys');
    }
    const volumes = compose.slice(compose.indexOf('\nvolumes:\n'));
    for (const v of ['node-1-data', 'node-2-data', 'node-3-data', 'checkpoint-key']) expect(volumes).toMatch(new RegExp(`^  ${v}: \\{\\}$`, 'm'));
  });

  it('the image carries bin/ for `npx crisis-cell` and folders the node may write for the volumes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['crisis-cell']).toBe('bin/crisis-cell.js');
    expect(dockerfile).toMatch(/^COPY --from=build --chown=node:node \/app\/bin \.\/bin$/m);
    expect(dockerfile).toMatch(/^COPY --from=build --chown=node:node \/app\/package\.json \.\/$/m);
    expect(dockerfile).toMatch(/mkdir -p \/app\/data \/app\/keys && chown node:node \/app\/data \/app\/keys/);
    // bin/ runs the compiled CLI, which the image's build produces.
    expect(fs.readFileSync(path.join(ROOT, 'bin/crisis-cell.js'), 'utf8')).toContain("path.join(root, 'dist', 'server', 'cli', 'main.js')");
  });

  it('the image runs the server with the V8 flags of `npm start` (package.json config.serverNodeFlags)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config: { serverNodeFlags: string }; scripts: { start: string } };
    const flags = pkg.config.serverNodeFlags.split(' ').filter(Boolean);
    expect(flags.length).toBeGreaterThan(0);
    expect(pkg.scripts.start).toContain('node $npm_package_config_serverNodeFlags dist/server/main.js');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile.slice(dockerfile.lastIndexOf('\nCMD ')));
    expect(JSON.parse(cmd![1]!)).toEqual(['node', ...flags, 'dist/server/main.js']);
  });
});
