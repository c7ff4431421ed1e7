'use strict';
/**
 * Stripe's request encoding: application/x-www-form-urlencoded with bracket notation, in bodies and in
 * query strings alike: `metadata[order_id]=1001`, `expand[]=customer`, `expand[0]=customer`,
 * `promotion[coupon]=SPRING`, `created[gte]=1700000000` (https://docs.stripe.com/api/expanding_objects,
 * https://docs.stripe.com/api/metadata). Values stay strings; each endpoint coerces what it reads.
 */

/** Keys that would reach Object.prototype when assigned; a form field never needs them. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/** A container written with `[]` or numeric indexes becomes an array, except under `metadata`. */
const PUSHED = Symbol('pushed');

function decode(text) {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

/** `a[b][]` -> ['a', 'b', ''] */
function splitKey(key) {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const parts = [key.slice(0, open)];
	const pattern = /\[([^\]]*)\]/g;
	pattern.lastIndex = open;
	let match;
	while ((match = pattern.exec(key)) !== null) parts.push(match[1]);
	return parts;
}

function assign(root, parts, value) {
	let node = root;
	for (let i = 0; i < parts.length; i++) {
		let part = parts[i];
		if (FORBIDDEN.has(part)) return;
		const last = i === parts.length - 1;
		if (part === '') {
			node[PUSHED] = (node[PUSHED] ?? 0) + 1;
			part = String(Object.keys(node).length);
		}
		if (last) {
			node[part] = value;
		} else {
			if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
			node = node[part];
		}
	}
}

function finalize(node, key) {
	if (typeof node !== 'object' || node === null) return node;
	const keys = Object.keys(node);
	const numeric = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
	if (key !== 'metadata' && (node[PUSHED] || numeric)) {
		return keys
			.map(Number)
			.sort((a, b) => a - b)
			.map((k) => finalize(node[String(k)], String(k)));
	}
	const out = {};
	for (const k of keys) out[k] = finalize(node[k], k);
	return out;
}

/** Parses a form body or a query string (without the leading `?`) into nested objects and arrays. */
function parseForm(text) {
	const root = {};
	if (!text) return root;
	for (const pair of String(text).split('&')) {
		if (!pair) continue;
		const eq = pair.indexOf('=');
		const key = decode(eq < 0 ? pair : pair.slice(0, eq));
		const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
		if (key) assign(root, splitKey(key), value);
	}
	return finalize(root);
}

module.exports = { parseForm };
