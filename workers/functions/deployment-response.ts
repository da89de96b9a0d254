import { z } from '@hono/zod-openapi';
import { apiTimestamp } from '../http/timestamps.js';
import type { DeployedFunctionRow, DeploymentRow } from './deployments.js';

export const deployedFunctionSchema = z
    .object({
        integration: z.string(),
        name: z.string(),
        type: z.enum(['sync', 'action', 'on-event']),
        bundle_hash: z.string(),
        config: z.record(z.string(), z.unknown())
    })
    .openapi('DeployedFunction');

export const deploymentSchema = z
    .object({
        version: z.number(),
        message: z.string().nullable(),
        active: z.boolean(),
        created_at: z.string(),
        functions: z.array(deployedFunctionSchema)
    })
    .openapi('Deployment');

export type ApiDeployedFunction = z.infer<typeof deployedFunctionSchema>;

export function toApiFunction(f: DeployedFunctionRow): ApiDeployedFunction {
    return { integration: f.integrationKey, name: f.name, type: f.type as ApiDeployedFunction['type'], bundle_hash: f.bundleHash, config: f.config };
}

export function toApiDeployment(d: { deployment: DeploymentRow; functions: DeployedFunctionRow[] }): z.infer<typeof deploymentSchema> {
    return {
        version: d.deployment.version,
        message: d.deployment.message,
        active: d.deployment.active,
        created_at: apiTimestamp(d.deployment.createdAt),
        functions: d.functions.map(toApiFunction)
    };
}
