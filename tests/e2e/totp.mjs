// The current TOTP code of a base32 secret (RFC 6238: HMAC-SHA1, 6 digits, 30 s), as an
// authenticator app computes it; the browser tests use it to set up and pass the second factor.
import { createHmac } from 'node:crypto';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totpNow(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

/** On the second-factor setup page: reads the key, enters the code, waits to leave the page. */
export async function setUpSecondFactor(page) {
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.fill('#code', totpNow(secret));
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/account/totp/setup')), page.click('form.account button[type="submit"]')]);
}
