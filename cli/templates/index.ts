// Every function of the project, one import each. `spoke compile` bundles each of them separately.
import './github/syncs/issues.js';
import './github/actions/create-issue.js';
import './github/on-events/choose-repositories.js';
