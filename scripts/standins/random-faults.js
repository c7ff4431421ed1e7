'use strict';
/**
 * Faults at a rate, for the reliability tests: a share of a stand-in's requests fails as the service's can, chosen
 * by a seeded generator so a run is the same every time. `{ rate: 0.2, seed: 7 }` fails about one request in five
 * with one of KINDS: 429 with Retry-After (nothing done), 500/502/503 before the work (nothing done) or after it
 * (done, the answer lost), or a connection cut after the work. The stand-in counts what it injected.
 */

// the sample store's seeded generator: the same sequence on every machine
const { prng } = require('./shopify-seed.js');

const KINDS = [
	{ status: 429, when: 'before', retryAfter: 1 },
	{ status: 500, when: 'before' },
	{ status: 502, when: 'before' },
	{ status: 503, when: 'before' },
	{ status: 500, when: 'after' },
	{ status: 503, when: 'after' },
	{ when: 'drop' },
];

class RandomFaults {
	constructor() {
		this.clear();
	}

	/**
	 * `rate` from 0 to 1; `kinds` a subset of KINDS' labels ("429", "500-before", "503-after", "drop", ...), all by
	 * default; `paths`: only requests to these paths can fail (all by default), so a test can fail one call every time;
	 * `methods`: only requests with these HTTP methods can fail (all by default), so a test can fail a table's updates
	 * and not its reads.
	 */
	set({ rate, seed = 1, kinds, paths, methods }) {
		const share = Number(rate);
		if (!(share >= 0 && share <= 1)) throw new Error('rate must be a number from 0 to 1');
		const wanted = kinds ? new Set(kinds.map(String)) : undefined;
		this.kinds = KINDS.filter((kind) => !wanted || wanted.has(label(kind)) || wanted.has(String(kind.status)));
		if (!this.kinds.length) throw new Error(`kinds must name some of ${KINDS.map(label).join(', ')}`);
		if (paths !== undefined && !(Array.isArray(paths) && paths.every((entry) => typeof entry === 'string'))) throw new Error('paths must be a list of request paths');
		if (methods !== undefined && !(Array.isArray(methods) && methods.every((entry) => typeof entry === 'string'))) throw new Error('methods must be a list of HTTP methods');
		this.rate = share;
		this.paths = paths ? new Set(paths) : undefined;
		this.methods = methods ? new Set(methods.map((method) => method.toUpperCase())) : undefined;
		this.random = prng(Number(seed)).next;
		return this.state();
	}

	/** The fault this request (to `path`, by `method`) meets, or undefined; counted. */
	take(path, method) {
		if ((this.paths && !this.paths.has(path)) || (this.methods && !this.methods.has(String(method).toUpperCase()))) {
			this.requests += 1;
			return undefined;
		}
		if (!this.rate || this.random() >= this.rate) {
			this.requests += 1;
			return undefined;
		}
		this.requests += 1;
		const kind = this.kinds[Math.floor(this.random() * this.kinds.length)];
		this.injected[label(kind)] = (this.injected[label(kind)] ?? 0) + 1;
		return kind;
	}

	state() {
		return { rate: this.rate, requests: this.requests, injected: { ...this.injected } };
	}

	clear() {
		this.rate = 0;
		this.paths = undefined;
		this.methods = undefined;
		this.kinds = KINDS;
		this.random = prng(1).next;
		this.requests = 0;
		this.injected = {};
	}
}

function label(kind) {
	return kind.when === 'drop' ? 'drop' : `${kind.status}-${kind.when}`;
}

module.exports = { RandomFaults, KINDS };
