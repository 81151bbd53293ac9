// The engine's registries (src/engine/cells.ts, src/engine/fused/registry.ts) load a cell's engine and kernel on
// first use with require(): in the page esbuild bundles those modules and resolves the calls, so the page's
// type-check (which has no Node types) needs only this declaration.
declare function require(id: string): unknown;
