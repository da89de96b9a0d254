import type { z } from 'zod';
import type { providerSchema } from '../schema.js';

/** A catalog entry as written in the files of this folder; test/workers/provider-catalog.test.ts validates each one. */
export type ProviderEntry = z.input<typeof providerSchema>;

import { accountingAndPayments } from './accounting-and-payments.js';
import { ai } from './ai.js';
import { communication } from './communication.js';
import { crm } from './crm.js';
import { devTools } from './dev-tools.js';
import { eCommerce } from './e-commerce.js';
import { fileStorage } from './file-storage.js';
import { google } from './google.js';
import { hrAndRecruiting } from './hr-and-recruiting.js';
import { marketing } from './marketing.js';
import { microsoft } from './microsoft.js';
import { productivity } from './productivity.js';
import { social } from './social.js';
import { support } from './support.js';

/** Spoke's built-in provider catalog, keyed by provider. */
export const BUILT_IN_PROVIDERS: Record<string, ProviderEntry> = {
    ...devTools,
    ...google,
    ...microsoft,
    ...crm,
    ...communication,
    ...productivity,
    ...support,
    ...accountingAndPayments,
    ...marketing,
    ...hrAndRecruiting,
    ...fileStorage,
    ...ai,
    ...social,
    ...eCommerce
};
