import { createSync } from 'nango';
import { z } from 'zod';

const GithubIssue = z.object({
    id: z.string(),
    repository: z.string(),
    number: z.number(),
    title: z.string(),
    state: z.enum(['open', 'closed']),
    author: z.string().nullable(),
    labels: z.array(z.string()),
    url: z.string(),
    created_at: z.string(),
    updated_at: z.string()
});

/** The fields of GitHub's issue object that this sync reads. */
interface ApiIssue {
    id: number;
    number: number;
    title: string;
    state: 'open' | 'closed';
    user: { login: string } | null;
    labels: (string | { name?: string })[];
    html_url: string;
    created_at: string;
    updated_at: string;
    pull_request?: unknown;
}

export default createSync({
    description: 'Issues of the repositories listed in the connection metadata',
    version: '1.0.0',
    frequency: 'every hour',
    autoStart: true,
    models: { GithubIssue },
    metadata: z.object({ repositories: z.array(z.string()).describe('owner/name of each repository to sync') }),
    checkpoint: z.object({ updatedAfter: z.string() }),
    exec: async (nango) => {
        const { repositories } = await nango.getMetadata();
        const checkpoint = await nango.getCheckpoint();
        // Issues updated while this run lists them are listed again next time, not missed.
        const startedAt = new Date().toISOString();
        for (const repository of repositories) {
            // GitHub's default paginator (Link headers, per_page) comes from the provider catalog.
            const pages = nango.paginate<ApiIssue>({
                endpoint: `/repos/${repository}/issues`,
                params: { state: 'all', sort: 'updated', direction: 'asc', ...(checkpoint && { since: checkpoint.updatedAfter }) },
                paginate: { limit: 100 },
                retries: 3
            });
            for await (const page of pages) {
                // GitHub lists pull requests among issues.
                const issues = page.filter((issue) => !issue.pull_request).map((issue) => toRecord(repository, issue));
                await nango.batchSave(issues, 'GithubIssue');
            }
        }
        await nango.saveCheckpoint({ updatedAfter: startedAt });
    }
});

function toRecord(repository: string, issue: ApiIssue): z.infer<typeof GithubIssue> {
    return {
        id: String(issue.id),
        repository,
        number: issue.number,
        title: issue.title,
        state: issue.state,
        author: issue.user?.login ?? null,
        labels: issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))),
        url: issue.html_url,
        created_at: issue.created_at,
        updated_at: issue.updated_at
    };
}
