import { ApiError } from '../http/api-error.js';
import { fillMap, providerUrl } from '../oauth/provider-urls.js';
import { authenticatedRequest, templateValues, type UpstreamTarget } from './upstream-request.js';

const TIMEOUT_MS = 15_000;

/**
 * Proves key-based credentials work with the provider's verification call before anything is
 * saved: any 2xx from one of its endpoints passes. Providers without one are not checked.
 */
export async function verifyCredentials(env: { SPOKE_ALLOW_LOOPBACK_HTTP?: string }, target: UpstreamTarget): Promise<void> {
    const verification = target.provider.proxy?.verification;
    if (!verification) return;
    const values = templateValues(target);
    const baseUrl = verification.base_url_override ? providerUrl(verification.base_url_override, values, 'verification URL') : undefined;
    let last = '';
    for (const endpoint of verification.endpoints) {
        const request = await authenticatedRequest(env, target, {
            method: verification.method,
            endpoint,
            headers: fillMap(verification.headers, values),
            ...(baseUrl && { baseUrl })
        });
        try {
            const res = await fetch(request, { signal: AbortSignal.timeout(TIMEOUT_MS) });
            if (res.ok) {
                await res.body?.cancel();
                return;
            }
            last = `HTTP ${res.status} from ${verification.method} ${endpoint}${await errorText(res)}`;
        } catch (error) {
            last = `${verification.method} ${endpoint} failed: ${(error as Error).message}`;
        }
    }
    throw new ApiError(400, 'connection_test_failed', `The provider did not accept these credentials (${last})`);
}

/** A short, human-readable reason from the provider's error body, when it has one. */
async function errorText(res: Response): Promise<string> {
    const text = (await res.text()).slice(0, 2000);
    try {
        const json = JSON.parse(text) as Record<string, unknown>;
        const nested = json['error'] && typeof json['error'] === 'object' ? (json['error'] as Record<string, unknown>)['message'] : undefined;
        const reason = [json['message'], json['error_description'], nested, json['error']].find((v) => typeof v === 'string');
        return reason ? `: ${String(reason).slice(0, 200)}` : '';
    } catch {
        return '';
    }
}
