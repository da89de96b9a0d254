import type { ProviderEntry } from './index.js';

export const ai = {
    openai: {
        display_name: 'OpenAI',
        categories: ['ai', 'popular'],
        logo: { color: '#412991' },
        docs: 'https://platform.openai.com/docs/api-reference',
        docs_connect: 'https://help.openai.com/en/articles/4936850-where-do-i-find-my-openai-api-key',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: { title: 'API key', example: 'sk-xxxxxxxx', secret: true, doc_section: 'https://platform.openai.com/api-keys' }
        },
        proxy: {
            base_url: 'https://api.openai.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/v1/models'] }
        }
    },
    anthropic: {
        display_name: 'Anthropic',
        categories: ['ai', 'popular'],
        logo: { color: '#191919' },
        docs: 'https://docs.anthropic.com/en/api/overview',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'API key',
                doc_section: 'https://console.anthropic.com/settings/keys',
                description: 'Created in the Claude Console under API keys',
                example: 'sk-ant-xxxxxxxx',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.anthropic.com',
            headers: { 'x-api-key': '${credentials.apiKey}', 'anthropic-version': '2023-06-01' },
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/v1/models'] }
        }
    },
    mistral: {
        display_name: 'Mistral AI',
        categories: ['ai'],
        logo: { color: '#FA520F' },
        docs: 'https://docs.mistral.ai/api/',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: { title: 'API key', secret: true, doc_section: 'https://console.mistral.ai/api-keys' }
        },
        proxy: {
            base_url: 'https://api.mistral.ai',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/v1/models'] }
        }
    },
    cohere: {
        display_name: 'Cohere',
        categories: ['ai'],
        logo: { color: '#39594D' },
        docs: 'https://docs.cohere.com/reference/about',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: { title: 'API key', secret: true, doc_section: 'https://dashboard.cohere.com/api-keys' }
        },
        proxy: {
            base_url: 'https://api.cohere.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/v1/models'] }
        }
    },
    groq: {
        display_name: 'Groq',
        categories: ['ai'],
        logo: { color: '#F55036' },
        docs: 'https://console.groq.com/docs/api-reference',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: { title: 'API key', example: 'gsk_xxxxxxxx', secret: true, doc_section: 'https://console.groq.com/keys' }
        },
        proxy: {
            base_url: 'https://api.groq.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/openai/v1/models'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
