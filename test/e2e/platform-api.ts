import { expect, inject } from 'vitest';

export interface PlatformInit {
    method?: string;
    body?: unknown;
    key: string;
}

/** Calls the API of the platform that `npm run dev` started; a non-2xx answer fails the test with its body. */
export async function platformCall(path: string, init: PlatformInit): Promise<any> {
    const res = await fetch(`${inject('platformUrl')}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${init.key}`, 'content-type': 'application/json' },
        ...(init.body !== undefined && { body: JSON.stringify(init.body) })
    });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    return JSON.parse(text);
}

/** A new environment on the started platform, so each test file has its own. */
export async function createPlatformEnvironment(prefix: string): Promise<{ id: string; secretKey: string; signingKey: string }> {
    const created = await platformCall('/admin/environments', { method: 'POST', key: inject('adminSecret'), body: { name: `${prefix}-${Date.now()}` } });
    return { id: created.data.id, secretKey: created.data.secret_key, signingKey: created.data.webhook_signing_key };
}
