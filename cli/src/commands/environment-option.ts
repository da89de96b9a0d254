import type { StringOption } from '../cli/args.js';

export const ENV_OPTION: StringOption = {
    type: 'string',
    short: 'e',
    valueName: 'name',
    description: 'The environment (default: dev); its key is SPOKE_SECRET_KEY_<NAME> from the shell or <dir>/.env'
};

export const DEFAULT_ENVIRONMENT = 'dev';
