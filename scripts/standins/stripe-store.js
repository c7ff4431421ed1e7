'use strict';
/**
 * The stand-in's Stripe account: every object by id, lists in Stripe's order (newest first) with cursor
 * pagination (https://docs.stripe.com/api/pagination), expansion of ids into objects
 * (https://docs.stripe.com/api/expanding_objects) and a clock that tests can move forward.
 */
const crypto = require('node:crypto');
const { invalidRequest, resourceMissing } = require('./stripe-errors.js');
const { integer } = require('./stripe-params.js');

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length, alphabet = ALPHANUMERIC) {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
	return out;
}

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

class StripeStore {
	constructor() {
		/** @type {Map<string, Map<string, object>>} kind -> id -> object, in creation order */
		this.collections = new Map();
		this.clockOffsetSeconds = 0;
	}

	/** Unix seconds, as Stripe's `created`; moved by POST /__standin/clock. */
	now() {
		return Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
	}

	newId(prefix, length = 24) {
		return `${prefix}_${randomString(length)}`;
	}

	collection(kind) {
		if (!this.collections.has(kind)) this.collections.set(kind, new Map());
		return this.collections.get(kind);
	}

	insert(object) {
		this.collection(object.object).set(object.id, object);
		return object;
	}

	find(kind, id) {
		return typeof id === 'string' ? this.collection(kind).get(id) : undefined;
	}

	/** The object or Stripe's resource_missing (404 for the URL's own id, 400 for a parameter). */
	mustFind(kind, id, param = 'id', label = kind) {
		const object = this.find(kind, id);
		if (!object || object.deleted) throw resourceMissing(label, id, param);
		return object;
	}

	findAnywhere(id) {
		for (const objects of this.collections.values()) {
			if (objects.has(id)) return objects.get(id);
		}
		return undefined;
	}

	all(kind) {
		return [...this.collection(kind).values()];
	}

	/** Newest first, as every Stripe list endpoint returns them. */
	newestFirst(kind, filter = () => true) {
		return this.all(kind)
			.filter((object) => !object.deleted && filter(object))
			.reverse();
	}

	/** `limit` (1-100, default 10), `starting_after` / `ending_before` cursors, `created` range filter. */
	paginate(items, params, url, label) {
		const limit = integer(params, 'limit', { min: 1, max: 100 }) ?? 10;
		let list = filterCreated(items, params.created);
		if (params.starting_after) {
			const index = list.findIndex((item) => item.id === params.starting_after);
			if (index < 0) throw resourceMissing(label, params.starting_after, 'starting_after');
			list = list.slice(index + 1);
			return { object: 'list', data: list.slice(0, limit), has_more: list.length > limit, url };
		}
		if (params.ending_before) {
			const index = list.findIndex((item) => item.id === params.ending_before);
			if (index < 0) throw resourceMissing(label, params.ending_before, 'ending_before');
			list = list.slice(Math.max(0, index - limit), index);
			return { object: 'list', data: list, has_more: index - limit > 0, url };
		}
		return { object: 'list', data: list.slice(0, limit), has_more: list.length > limit, url };
	}

	/** Replaces ids named by `expand[]` paths with copies of their objects; list paths start with `data.`. */
	expand(body, paths = []) {
		const out = clone(body);
		for (const path of [].concat(paths)) {
			const parts = String(path).split('.');
			const targets = out.object === 'list' || out.object === 'search_result'
				? parts[0] === 'data' ? out.data : []
				: [out];
			const rest = out.object === 'list' || out.object === 'search_result' ? parts.slice(1) : parts;
			for (const target of targets) this.expandPath(target, rest);
		}
		return out;
	}

	expandPath(node, parts) {
		if (!node || typeof node !== 'object' || parts.length === 0) return;
		const [head, ...rest] = parts;
		if (rest.length === 0) {
			const found = typeof node[head] === 'string' ? this.findAnywhere(node[head]) : undefined;
			if (found) node[head] = clone(found);
			return;
		}
		this.expandPath(node[head], rest);
	}

	snapshot() {
		const objects = {};
		const counts = {};
		for (const [kind, items] of this.collections) {
			objects[kind] = [...items.values()];
			counts[kind] = objects[kind].filter((item) => !item.deleted).length;
		}
		return { counts, objects };
	}

	clear() {
		this.collections.clear();
	}
}

function filterCreated(items, created) {
	if (created === undefined || created === '') return items;
	if (typeof created === 'string') {
		if (!/^\d+$/.test(created)) throw invalidRequest(`Invalid integer: ${created}`, 'created');
		return items.filter((item) => item.created === Number(created));
	}
	const bound = (key) => (created[key] === undefined ? undefined : Number(created[key]));
	const [gt, gte, lt, lte] = ['gt', 'gte', 'lt', 'lte'].map(bound);
	return items.filter(
		(item) =>
			(gt === undefined || item.created > gt) &&
			(gte === undefined || item.created >= gte) &&
			(lt === undefined || item.created < lt) &&
			(lte === undefined || item.created <= lte),
	);
}

module.exports = { StripeStore, randomString, clone };
