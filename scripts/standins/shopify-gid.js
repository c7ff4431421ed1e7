'use strict';
/**
 * Shopify's global ids (gid://shopify/<Type>/<id>) as the stand-in reads them: parsed, required of an ID argument
 * as Shopify does before any lookup, and looked up as a record of one type. Every resolver and mutation module reads
 * ids through here.
 */
const { GraphQLError } = require('graphql');

const GID = /^gid:\/\/shopify\/([A-Za-z][A-Za-z0-9]*)\/([^/?#]+)(\?.*)?$/;
const parseGid = (id) => {
	const match = GID.exec(String(id));
	return match ? { type: match[1], id: match[2] } : null;
};

/** Shopify refuses an ID argument that is not a GID before looking anything up. */
function requireGid(id) {
	if (!parseGid(id)) {
		throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' } });
	}
}

function findTyped(store, id, typeName) {
	requireGid(id);
	const record = store.find(id);
	return record && record.__typename === typeName ? record : null;
}

module.exports = { parseGid, requireGid, findTyped };
