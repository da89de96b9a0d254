import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareTypes } from '../../cli/src/generate/json-schema-to-ts.js';
import { scaffold, spoke } from './cli-harness.js';

describe('JSON Schema to TypeScript', () => {
    it('declares plain objects as interfaces, with optional fields and descriptions', () => {
        const schema = {
            type: 'object',
            description: 'A contact',
            properties: { id: { type: 'string' }, age: { type: 'integer', description: 'In years' }, 'first-name': { type: 'string' } },
            required: ['id'],
            additionalProperties: false
        };
        expect(declareTypes({ name: 'Contact', schema })).toBe(
            ['/** A contact */', 'export interface Contact {', '    id: string;', '    /** In years */', '    age?: number;', '    "first-name"?: string;', '}'].join('\n')
        );
    });

    it('handles arrays, enums, literals, unions, nullable values, records and tuples', () => {
        const schema = {
            type: 'object',
            properties: {
                tags: { type: 'array', items: { type: 'string' } },
                status: { type: 'string', enum: ['open', 'closed'] },
                kind: { const: 'issue' },
                size: { anyOf: [{ type: 'number' }, { type: 'string' }] },
                sizes: { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'null' }] } },
                owner: { type: ['string', 'null'] },
                legacy: { type: 'string', nullable: true },
                counts: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'number' } },
                extra: { type: 'object', additionalProperties: {} },
                point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] },
                anything: {}
            },
            required: ['tags', 'status', 'kind', 'size', 'sizes', 'owner', 'legacy', 'counts', 'extra', 'point', 'anything']
        };
        const declared = declareTypes({ name: 'Issue', schema });
        expect(declared).toContain('    tags: string[];');
        expect(declared).toContain('    status: "open" | "closed";');
        expect(declared).toContain('    kind: "issue";');
        expect(declared).toContain('    size: number | string;');
        expect(declared).toContain('    sizes: (number | null)[];');
        expect(declared).toContain('    owner: string | null;');
        expect(declared).toContain('    legacy: string | null;');
        expect(declared).toContain('    counts: Record<string, number>;');
        expect(declared).toContain('    extra: Record<string, unknown>;');
        expect(declared).toContain('    point: [number, number];');
        expect(declared).toContain('    anything: unknown;');
    });

    it('nests objects and follows local references', () => {
        const schema = {
            type: 'object',
            properties: {
                author: { type: 'object', properties: { login: { type: 'string' } }, required: ['login'] },
                parent: { $ref: '#' },
                address: { $ref: '#/$defs/address' },
                both: { allOf: [{ $ref: '#/$defs/address' }, { type: 'object', properties: { main: { type: 'boolean' } } }] }
            },
            $defs: { address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
        };
        expect(declareTypes({ name: 'Person', schema })).toBe(
            [
                'export interface Person {',
                '    author?: {',
                '        login: string;',
                '    };',
                '    parent?: Person;',
                '    address?: PersonAddress;',
                '    both?: PersonAddress & {',
                '        main?: boolean;',
                '    };',
                '}',
                '',
                'export interface PersonAddress {',
                '    city: string;',
                '}'
            ].join('\n')
        );
    });

    it('declares what is not a plain object as a type alias', () => {
        expect(declareTypes({ name: 'Ids', schema: { type: 'array', items: { type: 'integer' } } })).toBe('export type Ids = number[];');
        expect(declareTypes({ name: 'Tags', schema: { type: 'object', additionalProperties: { type: 'string' } } })).toBe('export type Tags = Record<string, string>;');
    });
});

describe('spoke generate', () => {
    let project: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
        ({ project, cleanup } = await scaffold());
    }, 60_000);
    afterAll(() => cleanup());

    it('writes models.ts from every sync model and action input and output, and it type-checks', async () => {
        await mkdir(join(project, 'gitlab/syncs'), { recursive: true });
        await writeFile(
            join(project, 'gitlab/syncs/projects.ts'),
            [
                "import { createSync } from 'nango';",
                "import { z } from 'zod';",
                'const Project = z.object({',
                '    id: z.number(),',
                "    visibility: z.enum(['private', 'internal', 'public']),",
                '    owner: z.object({ id: z.number(), name: z.string().nullable() }),',
                '    topics: z.array(z.string()),',
                '    stats: z.record(z.string(), z.number()).optional(),',
                '    archived_at: z.string().optional()',
                '});',
                'export default createSync({',
                "    description: 'Projects',",
                "    frequency: 'every day',",
                '    models: { GitlabProject: Project },',
                "    exec: async (nango) => { await nango.batchSave([], 'GitlabProject'); }",
                '});',
                ''
            ].join('\n')
        );
        await writeFile(join(project, 'index.ts'), `${await readFile(join(project, 'index.ts'), 'utf8')}import './gitlab/syncs/projects.js';\n`);

        const result = await spoke(['generate'], project);
        expect(result.code).toBe(0);
        const models = await readFile(join(project, 'models.ts'), 'utf8');
        expect(models).toContain('export interface GithubIssue {');
        expect(models).toContain('    state: "open" | "closed";');
        expect(models).toContain('export interface CreateIssueInput {');
        expect(models).toContain('    body?: string;');
        expect(models).toContain('    labels?: string[];');
        expect(models).toContain('export interface CreateIssueOutput {');
        expect(models).toContain(
            [
                'export interface GitlabProject {',
                '    id: number;',
                '    visibility: "private" | "internal" | "public";',
                '    owner: {',
                '        id: number;',
                '        name: string | null;',
                '    };',
                '    topics: string[];',
                '    stats?: Record<string, number>;',
                '    archived_at?: string;',
                '}'
            ].join('\n')
        );
        // models.ts is part of the project: compile type-checks it with the functions.
        expect((await spoke(['compile'], project)).code).toBe(0);
        await rm(join(project, 'models.ts'));
    });
});
