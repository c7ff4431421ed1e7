'use strict';
/**
 * Reading request parameters the way Stripe validates them: unknown parameters, missing required ones,
 * integers, booleans, enums, currencies, emails and metadata are rejected with Stripe's 400 wording.
 */
const { invalidRequest } = require('./stripe-errors.js');

/** Every endpoint also accepts `expand` (https://docs.stripe.com/api/expanding_objects). */
function allowOnly(params, allowed) {
	for (const name of Object.keys(params)) {
		if (name !== 'expand' && !allowed.includes(name)) {
			throw invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
		}
	}
}

const present = (params, name) => params[name] !== undefined && params[name] !== '';

function required(params, name) {
	if (!present(params, name)) throw invalidRequest(`Missing required param: ${name}.`, name, 'parameter_missing');
	return params[name];
}

function integer(params, name, { required: isRequired = false, min, max } = {}) {
	if (!present(params, name)) {
		if (isRequired) required(params, name);
		return undefined;
	}
	const raw = params[name];
	if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) {
		throw invalidRequest(`Invalid integer: ${raw}`, name, 'parameter_invalid_integer');
	}
	const value = Number(raw);
	if (min !== undefined && value < min) {
		throw invalidRequest(`This value must be greater than or equal to ${min}.`, name, 'parameter_invalid_integer');
	}
	if (max !== undefined && value > max) {
		throw invalidRequest(`This value must be less than or equal to ${max}.`, name, 'parameter_invalid_integer');
	}
	return value;
}

function decimal(params, name, { min, max } = {}) {
	if (!present(params, name)) return undefined;
	const raw = params[name];
	const value = Number(raw);
	if (typeof raw !== 'string' || !Number.isFinite(value)) throw invalidRequest(`Invalid decimal: ${raw}`, name);
	if ((min !== undefined && value <= min) || (max !== undefined && value > max)) {
		throw invalidRequest(`Invalid ${name}: must be greater than ${min} and less than or equal to ${max}`, name);
	}
	return value;
}

function boolean(params, name) {
	if (!present(params, name)) return undefined;
	if (params[name] === 'true') return true;
	if (params[name] === 'false') return false;
	throw invalidRequest(`Invalid boolean: ${params[name]}`, name);
}

function string(params, name, { required: isRequired = false, maxLength = 5000 } = {}) {
	if (!present(params, name)) {
		if (isRequired) required(params, name);
		return undefined;
	}
	const value = params[name];
	if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, name);
	if (value.length > maxLength) {
		throw invalidRequest(`Invalid string: ${value.slice(0, 20)}...; must be at most ${maxLength} characters`, name);
	}
	return value;
}

function oneOf(params, name, values) {
	const value = string(params, name);
	if (value !== undefined && !values.includes(value)) {
		const list = values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}` : values[0];
		throw invalidRequest(`Invalid ${name}: must be one of ${list}`, name);
	}
	return value;
}

/** Three-letter ISO code, lower case as Stripe returns it. */
function currency(params, name, options = {}) {
	const value = string(params, name, options);
	if (value === undefined) return undefined;
	if (!/^[a-zA-Z]{3}$/.test(value)) throw invalidRequest(`Invalid currency: ${value.toLowerCase()}.`, name);
	return value.toLowerCase();
}

function email(params, name) {
	const value = string(params, name, { maxLength: 512 });
	if (value !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
		throw invalidRequest(`Invalid email address: ${value}`, name, 'email_invalid');
	}
	return value;
}

function stringList(params, name) {
	if (!present(params, name)) return [];
	const value = params[name];
	if (!Array.isArray(value)) throw invalidRequest(`Invalid array`, name);
	return value.map(String);
}

/**
 * Metadata rules (https://docs.stripe.com/api/metadata): up to 50 keys, keys up to 40 characters, values up to
 * 500; an empty value unsets that key, and `metadata=` (empty) unsets all of them.
 */
function metadata(params, existing = {}) {
	const given = params.metadata;
	if (given === undefined) return { ...existing };
	if (given === '') return {};
	if (typeof given !== 'object' || Array.isArray(given)) throw invalidRequest('Invalid hash', 'metadata');
	const merged = { ...existing };
	for (const [key, value] of Object.entries(given)) {
		if (key.length > 40) {
			throw invalidRequest(`Metadata key too long: keys can be at most 40 characters.`, `metadata[${key}]`);
		}
		if (typeof value !== 'string') throw invalidRequest('Invalid string', `metadata[${key}]`);
		if (value.length > 500) {
			throw invalidRequest(`Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`, `metadata[${key}]`);
		}
		if (value === '') delete merged[key];
		else merged[key] = value;
	}
	if (Object.keys(merged).length > 50) {
		throw invalidRequest('You can have at most 50 metadata keys.', 'metadata');
	}
	return merged;
}

module.exports = { allowOnly, present, required, integer, decimal, boolean, string, oneOf, currency, email, stringList, metadata };
