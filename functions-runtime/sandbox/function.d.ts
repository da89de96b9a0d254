// The function's bundle, loaded next to the runtime as module `function.js` of the dynamic Worker.
declare const definition: unknown;
export default definition;
