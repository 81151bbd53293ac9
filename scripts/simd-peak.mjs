// `node scripts/simd-peak.mjs`: the most float32 arithmetic this machine's WebAssembly SIMD does per second, the
// ceiling the fused kernel is measured against in docs/benchmarks.md. A micro-kernel in AssemblyScript (built here,
// in memory, with the kernel's flags) runs independent chains of f32x4 multiplies and adds, enough of them that no
// chain waits on its own last result (latency 3–4 cycles, two multiply and two add pipes on a Zen core): then only
// the issue rate limits it. Without FMA in WebAssembly's baseline SIMD, a multiply and an add are two instructions.
// Plain JavaScript (an ES module), like build-kernel.mjs.
import asc from 'assemblyscript/asc';

const SOURCE = `
/** n rounds of 6 multiply chains and 6 add chains, 4 lanes each: 48 flops a round, none waiting on another. */
export function mulAddChains(n: i32, m: f32, c: f32): f32 {
  const vm = f32x4.splat(m);
  const vc = f32x4.splat(c);
  let a0 = f32x4.splat(1); let a1 = f32x4.splat(1.1); let a2 = f32x4.splat(1.2);
  let a3 = f32x4.splat(1.3); let a4 = f32x4.splat(1.4); let a5 = f32x4.splat(1.5);
  let b0 = f32x4.splat(0); let b1 = f32x4.splat(0.1); let b2 = f32x4.splat(0.2);
  let b3 = f32x4.splat(0.3); let b4 = f32x4.splat(0.4); let b5 = f32x4.splat(0.5);
  for (let i = 0; i < n; i++) {
    a0 = f32x4.mul(a0, vm); b0 = f32x4.add(b0, vc);
    a1 = f32x4.mul(a1, vm); b1 = f32x4.add(b1, vc);
    a2 = f32x4.mul(a2, vm); b2 = f32x4.add(b2, vc);
    a3 = f32x4.mul(a3, vm); b3 = f32x4.add(b3, vc);
    a4 = f32x4.mul(a4, vm); b4 = f32x4.add(b4, vc);
    a5 = f32x4.mul(a5, vm); b5 = f32x4.add(b5, vc);
  }
  const a = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  const b = f32x4.add(f32x4.add(f32x4.add(b0, b1), f32x4.add(b2, b3)), f32x4.add(b4, b5));
  return f32x4.extract_lane(f32x4.add(a, b), 0);
}

/** n rounds of 6 chains of acc·m + c (the kernel's multiply-then-add): 48 flops a round. */
export function multiplyAddChains(n: i32, m: f32, c: f32): f32 {
  const vm = f32x4.splat(m);
  const vc = f32x4.splat(c);
  let a0 = f32x4.splat(1); let a1 = f32x4.splat(1.1); let a2 = f32x4.splat(1.2);
  let a3 = f32x4.splat(1.3); let a4 = f32x4.splat(1.4); let a5 = f32x4.splat(1.5);
  for (let i = 0; i < n; i++) {
    a0 = f32x4.add(f32x4.mul(a0, vm), vc); a1 = f32x4.add(f32x4.mul(a1, vm), vc);
    a2 = f32x4.add(f32x4.mul(a2, vm), vc); a3 = f32x4.add(f32x4.mul(a3, vm), vc);
    a4 = f32x4.add(f32x4.mul(a4, vm), vc); a5 = f32x4.add(f32x4.mul(a5, vm), vc);
  }
  const a = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  return f32x4.extract_lane(a, 0);
}
`;

let bytes;
const { error, stderr } = await asc.main(['peak.ts', '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--outFile', 'peak.wasm'], {
  readFile: (name) => (name === 'peak.ts' ? SOURCE : null),
  writeFile(name, contents) {
    if (name.endsWith('.wasm')) bytes = contents;
  },
});
if (error) {
  console.error(stderr.toString());
  process.exit(1);
}
const kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;

const ROUNDS = 20_000_000;
const FLOPS_PER_ROUND = 48;
/** GFLOP/s of one call, by wall and by CPU time. */
function time(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn(ROUNDS, 0.9999999, 1e-7);
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const flops = ROUNDS * FLOPS_PER_ROUND;
  return { wall: flops / wall / 1e9, cpu: flops / ((used.user + used.system) / 1e6) / 1e9 };
}

const results = { mulAddChains: [], multiplyAddChains: [] };
for (let rep = 0; rep < 7; rep++) {
  for (const name of Object.keys(results)) results[name].push(time(kernel[name]));
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
for (const [name, runs] of Object.entries(results)) {
  const cpu = runs.slice(1).map((r) => r.cpu);
  const wall = runs.slice(1).map((r) => r.wall);
  console.log(
    `${name}: ${median(cpu).toFixed(1)} GFLOP/s by CPU time (best ${Math.max(...cpu).toFixed(1)}), ` +
      `${median(wall).toFixed(1)} by wall time (best ${Math.max(...wall).toFixed(1)}); one core, ${ROUNDS * FLOPS_PER_ROUND / 1e9} GFLOP a call`,
  );
}
