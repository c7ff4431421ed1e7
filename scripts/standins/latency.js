'use strict';
/**
 * Latency added to every request, as a service across the internet answers (a store's n8n is rarely next to
 * Shopify's or Supabase's servers): CX_STANDINS_LATENCY_MS when the stand-ins start, 0 (none) by default. The
 * stand-ins' own controls (/__standin/...) answer at once, so tests and benchmarks set up and read back without it.
 * Used by the benchmarks that compare request counts: a design that makes more requests pays for each.
 */
const LATENCY_MS = Math.max(0, Number(process.env.CX_STANDINS_LATENCY_MS) || 0);

/** The request handler, its every answer `LATENCY_MS` later. */
function withLatency(handler) {
	if (!LATENCY_MS) return handler;
	return (req, res) => {
		if (req.url.startsWith('/__standin/')) return handler(req, res);
		setTimeout(() => handler(req, res), LATENCY_MS);
	};
}

module.exports = { withLatency, LATENCY_MS };
