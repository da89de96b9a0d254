import { describe, expect, it } from 'vitest';
import { apiEnvironment } from '../api-environment.js';
import { call } from '../helpers.js';
import { deploy, trigger } from './function-helpers.js';

const LOGGER = `export default { type: 'action', exec: async (nango) => { for (let i = 0; i < 50; i++) await nango.log('line ' + i); console.log('last'); return 1; } };`;

describe('a run\'s log lines', () => {
    // The host writes each line after answering the call (waitUntil): none may be missing when the run's answer is read.
    it('are all recorded, in order, by the time the run has answered', async () => {
        const { key } = await apiEnvironment();
        await deploy(key, [{ integration: 'api', name: 'logger', type: 'action', code: LOGGER }]);
        const res = await trigger(key, 'logger');
        expect(res.status, res.text).toBe(200);
        const [run] = (await call('/logs?type=action', { key })).json.data;
        const messages = (await call(`/logs/${run.id}/messages?limit=100`, { key })).json.data;
        expect(messages.map((m: any) => m.message)).toEqual([...Array.from({ length: 50 }, (_, i) => `line ${i}`), 'last']);
    });
});
