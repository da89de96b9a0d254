// The part of node:async_hooks the sandbox uses. Both runtimes that load it provide the module
// (workerd with nodejs_compat, and Node for `spoke test`), but this project's Worker types do not
// include Node's.
declare module 'node:async_hooks' {
    export class AsyncLocalStorage<T> {
        run<R>(store: T, callback: () => R): R;
        getStore(): T | undefined;
    }
}
