// The few WebAssembly globals the kernel's host uses: Node and browsers both have them, but TypeScript declares
// them only in its DOM libraries, which this Node-and-browser package does not load.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
