/**
 * Base64 for binary payloads in display bundles (the standard library's
 * encoder is on JSR, which this project cannot reach).
 *
 * @module
 */

/**
 * Encodes bytes as standard base64.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from "./_base64.ts";
 * if (encodeBase64(new Uint8Array([104, 105])) !== "aGk=") throw new Error();
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000; // stay under the argument limit of fromCharCode
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
