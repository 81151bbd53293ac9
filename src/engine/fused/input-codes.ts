// The exhaustive check's inputs (src/eval/exhaustive.ts): the adder's four input pairs, as the LSTM kernel's prefix
// levels take them (the Elman kernel's compute them in the module, in the order its evaluation forward adds them).

/**
 * x·Wx + bs for the adder's four inputs [a, b] in code order 2a + b, [4, cols], from Wx [2, cols] and bs [cols]:
 * the input side of every prefix's next step in the exhaustive check.
 */
export function inputCodeTerms(p: { Wx: Float32Array; bs?: Float32Array }, cols: number): Float32Array {
  const terms = new Float32Array(4 * cols);
  for (let c = 0; c < 4; c++) {
    for (let j = 0; j < cols; j++) terms[c * cols + j] = (c >> 1) * p.Wx[j] + (c & 1) * p.Wx[cols + j] + (p.bs?.[j] ?? 0);
  }
  return terms;
}
