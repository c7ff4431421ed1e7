'use strict';
/**
 * Requests a stand-in never answers, for crash tests: a fault with `hold: true` parks the request here (before or
 * after its work is done) and no answer is ever written, however long the client waits. A test kills its process
 * while the request is held and restarts it. A held request is let go when its connection closes (the client gave up,
 * died, or `release()` cut it); nothing here runs on a timer, so nothing outlives the connection.
 *
 *   state()    { holding: requests held now, held: requests held since the last release() }
 *   release()  cuts every held connection (the client sees a reset) and sets both counts back to 0
 */

class HeldRequests {
	constructor() {
		/** @type {Set<import('node:http').ServerResponse>} */
		this.open = new Set();
		this.total = 0;
	}

	/** Parks the request: no answer, ever; forgotten when its connection closes. */
	hold(req, res) {
		this.total += 1;
		const socket = req.socket;
		// the client may have gone already (during a fault's delayMs, say): counted, never held
		if (!socket || socket.destroyed || res.writableEnded) return;
		this.open.add(res);
		// 'close' comes when the connection ends (node's server handles the socket's own errors)
		res.once('close', () => this.open.delete(res));
	}

	state() {
		return { holding: this.open.size, held: this.total };
	}

	release() {
		for (const res of this.open) res.socket?.destroy();
		this.open.clear();
		this.total = 0;
	}
}

module.exports = { HeldRequests };
