/**
 * The item reader of CX Returns Desk: an item names a Shopify return, as Shopify's `returns/request` webhook sends
 * it (admin_graphql_api_id, or its numeric id), or as a workflow does (return_id: a GID or the number). Pure.
 */
import type { IDataObject } from 'n8n-workflow';
import { InputProblem, readPath } from '../shared/items';

const RETURN_GID = /^gid:\/\/shopify\/Return\/\d+$/;

/** The return's GID an item names, or the problem with it, naming the field. */
export function namedReturn(json: IDataObject, field: string): string | InputProblem {
	// a returns/request webhook: its GID beside its numeric id
	const webhook = json.admin_graphql_api_id;
	if (field === 'return_id' && typeof webhook === 'string' && RETURN_GID.test(webhook)) return webhook;
	const value = readPath(json, field);
	if (value === undefined || value === null || value === '') {
		if (field === 'return_id' && (typeof json.id === 'number' || (typeof json.id === 'string' && /^\d+$/.test(json.id))) && Array.isArray(json.return_line_items)) return `gid://shopify/Return/${String(json.id)}`;
		return new InputProblem(field, `Field "${field}" is missing`, `Give the return's ID (gid://shopify/Return/123 or 123) in "${field}", or set Return ID Field to where the item holds it.`);
	}
	const text = String(value).trim();
	if (RETURN_GID.test(text)) return text;
	if (/^\d+$/.test(text)) return `gid://shopify/Return/${text}`;
	return new InputProblem(field, `Field "${field}" is "${text.slice(0, 80)}", not a Shopify return ID`, 'A return ID looks like gid://shopify/Return/123 or 123; an order\'s ID or name is not one.');
}
