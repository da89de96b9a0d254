import { createOnEvent } from 'nango';
import { z } from 'zod';

const metadata = z.object({ repositories: z.array(z.string()).optional() });

/** The fields of GitHub's repository object that this function reads. */
interface ApiRepository {
    full_name: string;
    archived: boolean;
}

/** How many repositories the issues sync starts with, when the app has not chosen them. */
const DEFAULT_COUNT = 5;

export default createOnEvent({
    description: 'Point the issues sync at the repositories the user pushed to last, unless the app already chose them',
    version: '1.0.0',
    event: 'post-connection-creation',
    metadata,
    exec: async (nango) => {
        const chosen = (await nango.getMetadata())?.repositories;
        if (chosen?.length) {
            await nango.log(`Keeping the ${chosen.length} repositories set in the metadata`);
            return;
        }
        const { data } = await nango.get<ApiRepository[]>({
            endpoint: '/user/repos',
            params: { affiliation: 'owner', sort: 'pushed', per_page: DEFAULT_COUNT * 2 },
            retries: 3
        });
        const repositories = data.filter((repository) => !repository.archived).slice(0, DEFAULT_COUNT).map((repository) => repository.full_name);
        // Merged into the metadata: other keys the app set stay.
        await nango.updateMetadata({ repositories });
        await nango.log(`Syncing the issues of ${repositories.length} repositories`, { repositories });
    }
});
