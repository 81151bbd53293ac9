// The SHA-256 of a model's weight bytes, recorded in model.json by every save and checked by every load: a
// model.json read from one save beside a weights.bin from another (a load racing a save, files copied by hand)
// is told apart from a model. WebCrypto, so the page checks what it fetches with the same code as the CLI.

/** userDefinedMetadata.weightsSha256: 64 lowercase hex digits. */
export const WEIGHTS_HASH = /^[0-9a-f]{64}$/;

export async function weightsSha256(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
