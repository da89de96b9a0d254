import { createAction } from 'nango';
import { z } from 'zod';

const input = z.object({
    repository: z.string().regex(/^[^/]+\/[^/]+$/, 'owner/name'),
    title: z.string().min(1),
    body: z.string().optional(),
    labels: z.array(z.string()).optional()
});

const output = z.object({
    id: z.string(),
    number: z.number(),
    url: z.string()
});

export default createAction({
    description: 'Open an issue in a repository',
    version: '1.0.0',
    input,
    output,
    scopes: ['repo'],
    exec: async (nango, input) => {
        try {
            // No retries: retrying a POST that reached GitHub could open the issue twice.
            const { data } = await nango.post<{ id: number; number: number; html_url: string }>({
                endpoint: `/repos/${input.repository}/issues`,
                data: { title: input.title, body: input.body, labels: input.labels }
            });
            return { id: String(data.id), number: data.number, url: data.html_url };
        } catch (error) {
            // ActionError's payload reaches the caller as is; other errors are reported as failures of the run.
            const status = (error as { response?: { status?: number } }).response?.status;
            if (status === 404) throw new nango.ActionError({ message: 'Repository not found, or the connection has no access to it', repository: input.repository });
            if (status === 410) throw new nango.ActionError({ message: 'Issues are disabled in this repository', repository: input.repository });
            throw error;
        }
    }
});
