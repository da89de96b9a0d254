// Writes public/logos/<provider>.svg for every built-in provider: the brand's Simple Icons glyph
// (CC0) in the provider's brand colour when there is one, else a monogram.
// Usage: node scripts/build-logos.mjs
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import * as simpleIcons from 'simple-icons';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../public/logos/', import.meta.url));

/** Provider key → Simple Icons slug. Providers not listed get a monogram. */
const SIMPLE_ICONS = {
    aircall: 'aircall',
    airtable: 'airtable',
    anthropic: 'anthropic',
    asana: 'asana',
    basecamp: 'basecamp',
    bigcommerce: 'bigcommerce',
    bitbucket: 'bitbucket',
    box: 'box',
    brevo: 'brevo',
    'cal-com': 'caldotcom',
    calendly: 'calendly',
    clickup: 'clickup',
    confluence: 'confluence',
    datadog: 'datadog',
    discord: 'discord',
    dropbox: 'dropbox',
    facebook: 'facebook',
    figma: 'figma',
    github: 'github',
    'github-app': 'github',
    gitlab: 'gitlab',
    google: 'google',
    'google-calendar': 'googlecalendar',
    'google-drive': 'googledrive',
    'google-mail': 'gmail',
    'google-sheet': 'googlesheets',
    greenhouse: 'greenhouse',
    gusto: 'gusto',
    'gusto-demo': 'gusto',
    'help-scout': 'helpscout',
    hubspot: 'hubspot',
    instagram: 'instagram',
    intercom: 'intercom',
    jira: 'jira',
    linear: 'linear',
    mailchimp: 'mailchimp',
    mailgun: 'mailgun',
    miro: 'miro',
    mistral: 'mistralai',
    notion: 'notion',
    okta: 'okta',
    pagerduty: 'pagerduty',
    paypal: 'paypal',
    'paypal-sandbox': 'paypal',
    personio: 'personio',
    quickbooks: 'quickbooks',
    'quickbooks-sandbox': 'quickbooks',
    reddit: 'reddit',
    sentry: 'sentry',
    shopify: 'shopify',
    spotify: 'spotify',
    squarespace: 'squarespace',
    stripe: 'stripe',
    'stripe-connect': 'stripe',
    todoist: 'todoist',
    toggl: 'toggltrack',
    trello: 'trello',
    'twitter-v2': 'x',
    typeform: 'typeform',
    vercel: 'vercel',
    webflow: 'webflow',
    woocommerce: 'woocommerce',
    wordpress: 'wordpress',
    xero: 'xero',
    youtube: 'youtube',
    zendesk: 'zendesk',
    'zoho-crm': 'zoho',
    zoom: 'zoom'
};

const { BUILT_IN_PROVIDERS, monogramSvg } = await loadCatalog();

const bySlug = new Map(Object.values(simpleIcons).map((icon) => [icon.slug, icon]));
for (const [key, slug] of Object.entries(SIMPLE_ICONS)) {
    if (!BUILT_IN_PROVIDERS[key]) throw new Error(`SIMPLE_ICONS maps unknown provider ${key}`);
    if (!bySlug.has(slug)) throw new Error(`simple-icons has no icon ${slug} (for ${key})`);
}

await mkdir(outDir, { recursive: true });
let icons = 0;
for (const [key, provider] of Object.entries(BUILT_IN_PROVIDERS)) {
    const icon = bySlug.get(SIMPLE_ICONS[key]);
    const color = provider.logo?.color ?? (icon ? `#${icon.hex}` : undefined);
    const svg = icon ? iconSvg(provider.display_name, icon.path, color) : monogramSvg(provider.display_name, color);
    await writeFile(join(outDir, `${key}.svg`), svg + '\n');
    if (icon) icons++;
}
const total = Object.keys(BUILT_IN_PROVIDERS).length;
console.log(`Wrote ${total} logos to public/logos (${icons} brand icons, ${total - icons} monograms).`);

function iconSvg(title, path, color) {
    return [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img">',
        `<title>${escapeXml(title)}</title>`,
        `<path fill="${color}" d="${path}"/>`,
        '</svg>'
    ].join('');
}

function escapeXml(s) {
    return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The catalog is TypeScript, so bundle it on the fly and import the result. */
async function loadCatalog() {
    const result = await build({
        stdin: {
            contents: [
                "export { BUILT_IN_PROVIDERS } from './providers/catalog/index.ts';",
                "export { monogramSvg } from './providers/logo.ts';"
            ].join('\n'),
            resolveDir: root,
            loader: 'ts'
        },
        write: false,
        bundle: true,
        format: 'esm',
        platform: 'node',
        logLevel: 'error'
    });
    const code = result.outputFiles[0].text;
    return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
