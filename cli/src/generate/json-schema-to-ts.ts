import type { JsonSchema } from '../project/json-schema.js';

/** A JSON Schema to declare as a named TypeScript type. */
export interface NamedSchema {
    name: string;
    schema: JsonSchema;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INDENT = '    ';

/**
 * TypeScript declarations for JSON Schemas as zod 4 writes them: objects (interfaces when they
 * are plain), optional and required properties, arrays and tuples, enums, consts, unions
 * (anyOf/oneOf, type lists, OpenAPI's nullable), intersections (allOf), records and local $refs.
 */
export function declareTypes(named: NamedSchema): string {
    const definitions = (named.schema.$defs ?? named.schema.definitions ?? {}) as Record<string, JsonSchema>;
    const context: Context = { rootName: named.name, definitionName: (key) => `${named.name}${pascalCase(key)}` };
    const declarations = [declare(named.name, named.schema, context)];
    for (const [key, schema] of Object.entries(definitions)) declarations.push(declare(context.definitionName(key), schema, context));
    return declarations.join('\n\n');
}

interface Context {
    rootName: string;
    definitionName(key: string): string;
}

function declare(name: string, schema: JsonSchema, context: Context): string {
    const doc = docComment(schema, '');
    if (isPlainObject(schema)) return `${doc}export interface ${name} ${objectBody(schema, context, '')}`;
    return `${doc}export type ${name} = ${typeOf(schema, context, '')};`;
}

/** An object with named properties only, which reads best as an interface. */
function isPlainObject(schema: JsonSchema): boolean {
    return schema.type === 'object' && schema.properties !== undefined && (schema.additionalProperties === undefined || schema.additionalProperties === false) && !schema.anyOf && !schema.oneOf && !schema.allOf && !schema.nullable;
}

function typeOf(schema: JsonSchema | boolean, context: Context, indent: string): string {
    if (schema === true) return 'unknown';
    if (schema === false) return 'never';
    const base = baseType(schema, context, indent);
    return schema.nullable === true ? union([base, 'null']) : base;
}

function baseType(schema: JsonSchema, context: Context, indent: string): string {
    if (typeof schema.$ref === 'string') return referenceName(schema.$ref, context);
    if ('const' in schema) return literal(schema.const);
    if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
    const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
    if (options) return union(options.map((option) => typeOf(option, context, indent)));
    if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map((part) => wrap(typeOf(part, context, indent))).join(' & ');
    if (Array.isArray(schema.type)) return union((schema.type as string[]).map((type) => baseType({ ...schema, type }, context, indent)));
    switch (schema.type) {
        case 'string':
            return 'string';
        case 'number':
        case 'integer':
            return 'number';
        case 'boolean':
            return 'boolean';
        case 'null':
            return 'null';
        case 'array':
            return arrayType(schema, context, indent);
        case 'object':
            return objectType(schema, context, indent);
        default:
            return schema.properties ? objectType(schema, context, indent) : 'unknown';
    }
}

function arrayType(schema: JsonSchema, context: Context, indent: string): string {
    if (Array.isArray(schema.prefixItems)) {
        const items = (schema.prefixItems as JsonSchema[]).map((item) => typeOf(item, context, indent));
        if (schema.items !== undefined && schema.items !== false) items.push(`...${wrap(typeOf(schema.items as JsonSchema, context, indent))}[]`);
        return `[${items.join(', ')}]`;
    }
    if (schema.items === undefined) return 'unknown[]';
    return `${wrap(typeOf(schema.items as JsonSchema | boolean, context, indent))}[]`;
}

function objectType(schema: JsonSchema, context: Context, indent: string): string {
    const extra = schema.additionalProperties as JsonSchema | boolean | undefined;
    const record = extra === undefined || extra === false ? undefined : `Record<string, ${typeOf(extra, context, indent)}>`;
    if (!schema.properties) return record ?? 'Record<string, unknown>';
    const body = objectBody(schema, context, indent);
    return record ? `${body} & ${record}` : body;
}

function objectBody(schema: JsonSchema, context: Context, indent: string): string {
    const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema | boolean>);
    if (properties.length === 0) return '{}';
    const required = new Set((schema.required ?? []) as string[]);
    const inner = indent + INDENT;
    const lines = properties.map(([key, property]) => {
        const doc = typeof property === 'object' ? docComment(property, inner) : '';
        const name = IDENTIFIER.test(key) ? key : JSON.stringify(key);
        return `${doc}${inner}${name}${required.has(key) ? '' : '?'}: ${typeOf(property, context, inner)};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
}

function referenceName(ref: string, context: Context): string {
    if (ref === '#') return context.rootName;
    const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
    return match ? context.definitionName(decodeURIComponent(match[1]!)) : 'unknown';
}

function union(types: string[]): string {
    const unique = [...new Set(types)];
    if (unique.includes('unknown')) return 'unknown';
    return unique.length === 0 ? 'never' : unique.join(' | ');
}

/** Parentheses around a union or intersection where it would bind wrongly: `(A | B)[]`. */
function wrap(type: string): string {
    return hasTopLevelOperator(type) ? `(${type})` : type;
}

function hasTopLevelOperator(type: string): boolean {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < type.length; i++) {
        const c = type[i]!;
        if (inString) {
            if (c === '\\') i++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if ('{[(<'.includes(c)) depth++;
        else if ('}])>'.includes(c)) depth--;
        else if (depth === 0 && (c === '|' || c === '&')) return true;
    }
    return false;
}

function literal(value: unknown): string {
    return value === null ? 'null' : JSON.stringify(value);
}

function docComment(schema: JsonSchema, indent: string): string {
    const text = typeof schema.description === 'string' ? schema.description.trim() : '';
    if (!text) return '';
    const lines = text.replace(/\*\//g, '*\\/').split('\n');
    if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
    return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`).join('\n')}\n${indent} */\n`;
}

/** `create-issue` → `CreateIssue`; a leading digit gets an underscore, as identifiers can't start with one. */
export function pascalCase(text: string): string {
    const joined = text
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((word) => word[0]!.toUpperCase() + word.slice(1))
        .join('');
    return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}
