import { createHmac } from 'node:crypto';

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"), as the receiver recomputes it. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookResult {
  readonly ok: boolean;
  readonly statusCode: number;
  readonly error: string;
}

/** One signed POST: headers X-MGov-Signature, X-MGov-Timestamp, X-MGov-Delivery (the receiver's dedup key). */
export async function postSigned(url: string, secret: string, deliveryId: string, payload: unknown, timeoutMs: number, now = Date.now()): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  const timestamp = String(now);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'x-mgov-timestamp': timestamp, 'x-mgov-delivery': deliveryId, 'x-mgov-signature': webhookSignature(secret, timestamp, body) },
    });
    const text = await response.text().catch(() => '');
    return { ok: response.ok, statusCode: response.status, error: response.ok ? '' : `HTTP ${response.status} ${text.slice(0, 200)}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, statusCode: 0, error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}
