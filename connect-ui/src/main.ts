// Entry point: works out how the page was opened, gets a session token, and starts the flow.
import { Api } from './api.js';
import { ConnectApp } from './app.js';
import { readConfig } from './config.js';
import { mountShell } from './dialog.js';
import { connectToParent, type Emit } from './embedding.js';
import { setLanguage, t } from './i18n/strings.js';
import { errorScreen } from './screens/error.js';
import { loadingScreen } from './screens/loading.js';
import { setTheme } from './theme.js';

/** How long an embedding page has to send the token before we assume the page was opened directly. */
const TOKEN_TIMEOUT_MS = 10_000;

const config = readConfig();
document.documentElement.lang = setLanguage([config.lang, ...navigator.languages, navigator.language]);
document.title = t('list.title');
setTheme(config.theme ?? 'system');

// A connect link has nobody to report to; in an iframe this becomes the link to the parent.
let emit: Emit = () => {};
const shell = mountShell(config.embedded, () => emit({ type: 'close' }));
let app: ConnectApp | null = null;

function start(sessionToken: string): void {
    app?.stop();
    app = new ConnectApp(new Api(config.apiURL, sessionToken), config, shell, (event) => emit(event));
    void app.start();
}

function showOpenedDirectly(): void {
    shell.show(errorScreen({ title: t('error.noToken.title'), message: t('error.noToken.body') }));
    emit({ type: 'error', payload: { errorType: 'missing_connect_session_token', errorMessage: t('error.noToken.event') } });
}

if (config.sessionToken) {
    start(config.sessionToken);
} else if (config.embedded) {
    shell.show(loadingScreen());
    const timeout = setTimeout(showOpenedDirectly, TOKEN_TIMEOUT_MS);
    let currentToken: string | null = null;
    emit = connectToParent((token) => {
        clearTimeout(timeout);
        // The official SDK may send the same token again; only a new one restarts the flow.
        if (token === currentToken) return;
        currentToken = token;
        start(token);
    });
} else {
    showOpenedDirectly();
}
