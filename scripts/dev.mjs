#!/usr/bin/env node
// `npm run dev`: the whole platform on the local Workers runtime, ready to use.
//
// 1. keeps local secrets (encryption keys, admin secret, the dev secret key) in the state folder,
//    generating them on first start;
// 2. applies the D1 migrations of the control plane and of the records shards;
// 3. starts `wrangler dev` (workerd with local D1, Durable Objects, Queues, Worker Loader);
// 4. makes sure a `dev` environment exists with that secret key, and prints it;
// 5. fires the cron trigger every minute, which `wrangler dev` never does by itself.
//
// PORT (default 8787), SPOKE_DEV_SECRET_KEY (a UUID to use as the dev key), SPOKE_STATE_DIR
// (default .wrangler/state) and SPOKE_CRON_INTERVAL_MS (default 60000) configure it.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT || 8787);
const stateDir = path.resolve(root, process.env.SPOKE_STATE_DIR || '.wrangler/state');
const url = `http://localhost:${port}`;
const cronIntervalMs = Number(process.env.SPOKE_CRON_INTERVAL_MS || 60_000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const wranglerBin = path.join(root, 'node_modules', '.bin', 'wrangler');
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

/** The `wrangler dev` child, once started: stopped with this script, even when it fails. */
let wrangler;

function fail(message) {
    console.error(`\n  spoke dev: ${message}\n`);
    wrangler?.kill('SIGTERM');
    process.exit(1);
}

function localSecrets() {
    const file = path.join(stateDir, 'spoke-dev.json');
    fs.mkdirSync(stateDir, { recursive: true });
    const saved = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    // An empty value counts as unset.
    const fixedKey = process.env.SPOKE_DEV_SECRET_KEY?.trim() || undefined;
    if (fixedKey && !UUID.test(fixedKey)) fail('SPOKE_DEV_SECRET_KEY must be a UUID, e.g. the output of `node -e "console.log(crypto.randomUUID())"`.');
    const secrets = {
        ENCRYPTION_KEYS: saved.ENCRYPTION_KEYS ?? `k1:${randomBytes(32).toString('base64')}`,
        SPOKE_ADMIN_SECRET: saved.SPOKE_ADMIN_SECRET ?? randomBytes(24).toString('hex'),
        devSecretKey: (fixedKey ?? saved.devSecretKey ?? randomUUID()).toLowerCase()
    };
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    // Handed to wrangler as the Worker's secrets, as .dev.vars would be.
    const envFile = path.join(stateDir, 'spoke-dev.vars');
    // Locally, providers may point at http://localhost fakes of third-party APIs.
    fs.writeFileSync(envFile, `ENCRYPTION_KEYS="${secrets.ENCRYPTION_KEYS}"\nSPOKE_ADMIN_SECRET="${secrets.SPOKE_ADMIN_SECRET}"\nSPOKE_ALLOW_LOOPBACK_HTTP="true"\n`, { mode: 0o600 });
    return { ...secrets, envFile };
}

function run(args) {
    return new Promise((resolve, reject) => {
        const child = spawn(wranglerBin, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(output))));
    });
}

async function api(method, pathname, adminSecret, body) {
    const res = await fetch(url + pathname, {
        method,
        headers: { authorization: `Bearer ${adminSecret}`, ...(body && { 'content-type': 'application/json' }) },
        body: body && JSON.stringify(body)
    });
    const json = await res.json().catch(() => null);
    return { status: res.status, json };
}

async function waitForHealth(wrangler) {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
        if (wrangler.exitCode !== null) fail('wrangler dev exited before the platform came up (see its output above).');
        try {
            if ((await fetch(`${url}/health`)).ok) return;
        } catch {
            // not listening yet
        }
        await sleep(250);
    }
    fail(`the platform did not answer on ${url}/health within 90 s.`);
}

async function ensureDevEnvironment(secrets) {
    const existing = await api('GET', '/admin/environments/dev', secrets.SPOKE_ADMIN_SECRET);
    if (existing.status === 404) {
        const created = await api('POST', '/admin/environments', secrets.SPOKE_ADMIN_SECRET, { name: 'dev', secret_key: secrets.devSecretKey });
        if (created.status !== 201) fail(`could not create the dev environment: ${JSON.stringify(created.json)}`);
        return created.json.data.webhook_signing_key;
    }
    if (existing.status !== 200) fail(`could not read the dev environment: ${JSON.stringify(existing.json)}`);
    const key = await api('POST', '/admin/environments/dev/keys', secrets.SPOKE_ADMIN_SECRET, { secret_key: secrets.devSecretKey, label: 'dev' });
    if (key.status !== 200 && key.status !== 201) fail(`could not register the dev secret key: ${JSON.stringify(key.json)}`);
    return existing.json.data.webhook_signing_key;
}

async function wranglerConfig() {
    const { experimental_readRawConfig } = await import('wrangler');
    return experimental_readRawConfig({ config: path.join(root, 'wrangler.jsonc') }).rawConfig;
}

/**
 * Fires every cron trigger at the start of each interval (each minute by default, as in
 * production); the Worker decides which sweeps are due.
 */
async function driveCron(crons) {
    for (;;) {
        await sleep(cronIntervalMs - (Date.now() % cronIntervalMs));
        for (const cron of crons) {
            const res = await fetch(`${url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}`).catch((error) => error);
            if (res instanceof Response && res.ok) console.log(`  spoke dev: cron "${cron}" ran at ${new Date().toISOString()}`);
            else console.error(`  spoke dev: cron "${cron}" could not be triggered`);
        }
    }
}

/** Refuses to start when something already listens on the port, so its answers aren't mistaken for ours. */
async function assertPortFree() {
    const inUse = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then(
        () => true,
        () => false
    );
    if (inUse) fail(`port ${port} is already in use (is another \`npm run dev\` running?). Stop it or set PORT.`);
}

await assertPortFree();
if (!Number.isInteger(cronIntervalMs) || cronIntervalMs < 1000) fail('SPOKE_CRON_INTERVAL_MS must be a whole number of milliseconds, at least 1000.');
const secrets = localSecrets();
const config = await wranglerConfig();
// The control plane (DB) and every records shard (RECORDS, RECORDS_1…), each with its own migrations.
for (const { binding } of config.d1_databases ?? []) {
    try {
        await run(['d1', 'migrations', 'apply', binding, '--local', '--persist-to', stateDir]);
    } catch (error) {
        fail(`applying the D1 migrations of ${binding} failed:\n${error.message}`);
    }
}

wrangler = spawn(
    wranglerBin,
    ['dev', '--port', String(port), '--persist-to', stateDir, '--env-file', secrets.envFile, '--show-interactive-dev-session=false'],
    { cwd: root, env: childEnv, stdio: 'inherit' }
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wrangler.kill(signal));
wrangler.on('exit', (code) => process.exit(code ?? 0));

await waitForHealth(wrangler);
const signingKey = await ensureDevEnvironment(secrets);
const crons = config.triggers?.crons ?? [];

console.log(`
  Spoke is ready on ${url}

  Environment          dev
  Secret key           ${secrets.devSecretKey}
  Webhook signing key  ${signingKey}
  Admin secret         ${secrets.SPOKE_ADMIN_SECRET}
  API reference        ${url}/openapi.json
  Cron                 ${crons.join(', ') || 'none'}, fired by this script every ${cronIntervalMs === 60_000 ? 'minute' : `${cronIntervalMs} ms`}
  Local state          ${path.relative(root, stateDir) || '.'}

  Use it from Node:
    import { Nango } from '@nangohq/node';
    const nango = new Nango({ host: '${url}', secretKey: '${secrets.devSecretKey}' });
`);

driveCron(crons);
