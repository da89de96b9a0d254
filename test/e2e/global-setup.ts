import type { TestProject } from 'vitest/node';
import { type DevPlatform, startDevPlatform } from '../support/dev-platform.js';

declare module 'vitest' {
    export interface ProvidedContext {
        platformUrl: string;
        secretKey: string;
        adminSecret: string;
        devOutput: string;
    }
}

let platform: DevPlatform | undefined;

export async function setup(project: TestProject) {
    platform = await startDevPlatform();
    project.provide('platformUrl', platform.url);
    project.provide('secretKey', platform.secretKey);
    project.provide('adminSecret', platform.adminSecret);
    project.provide('devOutput', platform.output());
}

export async function teardown() {
    await platform?.stop();
}
