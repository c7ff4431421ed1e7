'use strict';
/**
 * Errors in the shape Shopify's GraphQL server (graphql-ruby) gives them, HTTP 200 with an `errors` array:
 *   { message: "Field 'foo' doesn't exist on type 'Customer'", locations: [{ line, column }],
 *     path: ['query Name', 'customer', 'foo'], extensions: { code: 'undefinedField', typeName: 'Customer', fieldName: 'foo' } }
 * graphql-js does the validating; this module rewrites its messages and adds the path graphql-ruby reports.
 */
const { Kind, visit, print } = require('graphql');

/** For every AST node, the path graphql-ruby prints: operation, fields (aliases), fragments, arguments. */
function astPaths(document) {
	const paths = new Map();
	const parents = new Map();
	const stack = [];
	const ancestors = [];
	const segmentOf = (node) => {
		switch (node.kind) {
			case Kind.OPERATION_DEFINITION: return node.name ? `${node.operation} ${node.name.value}` : node.operation;
			case Kind.FRAGMENT_DEFINITION: return `fragment ${node.name.value}`;
			case Kind.FIELD: return node.alias?.value ?? node.name.value;
			case Kind.INLINE_FRAGMENT: return node.typeCondition ? `... on ${node.typeCondition.name.value}` : '...';
			case Kind.FRAGMENT_SPREAD: return `... ${node.name.value}`;
			case Kind.ARGUMENT:
			case Kind.OBJECT_FIELD: return node.name.value;
			default: return undefined;
		}
	};
	visit(document, {
		enter(node) {
			const segment = segmentOf(node);
			node.kind !== Kind.DOCUMENT && parents.set(node, ancestors.at(-1));
			ancestors.push(node);
			if (segment !== undefined) stack.push(segment);
			paths.set(node, [...stack]);
		},
		leave(node) {
			ancestors.pop();
			if (segmentOf(node) !== undefined) stack.pop();
		},
	});
	const closest = (node, kind) => {
		for (let at = parents.get(node); at; at = parents.get(at)) if (at.kind === kind) return at;
		return undefined;
	};
	return { pathOf: (node) => paths.get(node) ?? [], closest };
}

const operationLabel = (name) => (name ? name : 'anonymous query');

/** Rewrites one graphql-js validation error the way graphql-ruby words it, with its extension code. */
function rubyValidation(error, ast) {
	const message = error.message;
	// where a rule reports several nodes (a variable's definition and its use), the last one is the use
	const node = error.nodes?.at(-1);
	const path = node ? ast.pathOf(node) : [];
	const field = node && ast.closest(node, Kind.FIELD);
	const argument = node && (node.kind === Kind.ARGUMENT ? node : ast.closest(node, Kind.ARGUMENT));
	let match;
	if ((match = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(message))) {
		return { message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`, path, extensions: { code: 'undefinedField', typeName: match[2], fieldName: match[1] } };
	}
	if ((match = /^Unknown argument "(.+?)" on field "(?:.+?)\.(.+?)"\./.exec(message))) {
		return { message: `Field '${match[2]}' doesn't accept argument '${match[1]}'`, path, extensions: { code: 'argumentNotAccepted', name: match[2], typeName: 'Field', argumentName: match[1] } };
	}
	if ((match = /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./.exec(message))) {
		return { message: `Field '${match[1]}' is missing required arguments: ${match[2]}`, path, extensions: { code: 'missingRequiredArguments', className: 'Field', name: match[1], arguments: match[2] } };
	}
	if ((match = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields\./.exec(message))) {
		const type = match[2].replace(/[[\]!]/g, '');
		return { message: `Field must have selections (field '${match[1]}' returns ${type} but has no selections. Did you mean '${match[1]} { ... }'?)`, path, extensions: { code: 'selectionMismatch', nodeName: `field '${match[1]}'`, typeName: type } };
	}
	if ((match = /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./.exec(message))) {
		const selections = (node?.selectionSet?.selections ?? []).map((s) => s.name?.value ?? '...').join(', ');
		return { message: `Selections can't be made on scalars (field '${match[1]}' returns ${match[2]} but has selections [${selections}])`, path, extensions: { code: 'selectionMismatch', nodeName: `field '${match[1]}'`, typeName: match[2] } };
	}
	if ((match = /^Unknown type "(.+?)"\./.exec(message))) {
		const variable = node && ast.closest(node, Kind.VARIABLE_DEFINITION);
		if (variable) {
			return { message: `${match[1]} isn't a defined input type (on $${variable.variable.name.value})`, path, extensions: { code: 'variableRequiresValidType', typeName: match[1], variableName: variable.variable.name.value } };
		}
		return { message: `No such type ${match[1]}, so it can't be a fragment condition`, path, extensions: { code: 'undefinedType', typeName: match[1] } };
	}
	if ((match = /^Variable "\$(.+?)" is never used(?: in operation "(.+?)")?\./.exec(message))) {
		return { message: `Variable $${match[1]} is declared by ${operationLabel(match[2])} but not used`, path, extensions: { code: 'variableNotUsed', variableName: match[1] } };
	}
	if ((match = /^Variable "\$(.+?)" is not defined(?: by operation "(.+?)")?\./.exec(message))) {
		return { message: `Variable $${match[1]} is used by ${operationLabel(match[2])} but not declared`, path, extensions: { code: 'variableNotDefined', variableName: match[1] } };
	}
	if ((match = /^Variable "\$(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\./.exec(message))) {
		const argumentName = argument?.name.value ?? '';
		const kind = match[2].replace(/!$/, '') === match[3].replace(/!$/, '') ? 'Nullability mismatch' : 'Type mismatch';
		return { message: `${kind} on variable $${match[1]} and argument ${argumentName} (${match[2]} / ${match[3]})`, path, extensions: { code: 'variableMismatch', variableName: match[1], typeName: match[2], argumentName, errorMessage: kind } };
	}
	if (argument && field && /cannot represent|Expected value of type|is not defined by type|of required type .* was not provided/.test(message)) {
		const expected = /^(\w+) cannot represent/.exec(message)?.[1] ?? /Expected value of type "(.+?)"/.exec(message)?.[1] ?? /type "(.+?)"/.exec(message)?.[1] ?? '';
		return {
			message: `Argument '${argument.name.value}' on Field '${field.name.value}' has an invalid value (${print(argument.value)}). Expected type '${expected}'.`,
			path,
			extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: argument.name.value },
		};
	}
	if ((match = /^Fragment "(.+?)" is never used\./.exec(message))) {
		return { message: `Fragment ${match[1]} was defined, but not used`, path, extensions: { code: 'useAndDefineFragment', fragmentName: match[1] } };
	}
	if ((match = /^Unknown fragment "(.+?)"\./.exec(message))) {
		return { message: `Fragment ${match[1]} was used, but not defined`, path, extensions: { code: 'useAndDefineFragment', fragmentName: match[1] } };
	}
	if ((match = /^Unknown directive "@(.+?)"\./.exec(message))) {
		return { message: `Directive @${match[1]} is not defined`, path, extensions: { code: 'undefinedDirective', directiveName: match[1] } };
	}
	if ((match = /^Fragment (?:"(.+?)" )?cannot be spread here as objects of type "(.+?)" can never be of type "(.+?)"\./.exec(message))) {
		return { message: `Fragment on ${match[3]} can't be spread inside ${match[2]}`, path, extensions: { code: 'cannotSpreadFragment', typeName: match[3], fragmentName: match[1] ?? 'unknown', parentName: match[2] } };
	}
	if ((match = /^There can be only one operation named "(.+?)"\./.exec(message))) {
		return { message: `Operation name "${match[1]}" must be unique`, path, extensions: { code: 'uniquelyNamedOperations', operationName: match[1] } };
	}
	if ((match = /^Fields "(.+?)" conflict because (.+)$/.exec(message))) {
		return { message: `Field '${match[1]}' has a field conflict: ${match[2]}`, path, extensions: { code: 'fieldConflict', field: match[1] } };
	}
	return { message: message.replace(/"/g, "'"), path, extensions: { code: 'validationFailed' } };
}

function formatValidationErrors(errors, document) {
	const ast = astPaths(document);
	return errors.map((error) => {
		const { message, path, extensions } = rubyValidation(error, ast);
		return { message, locations: error.locations ?? [], path, extensions };
	});
}

const TOKEN_NAMES = {
	'{': 'LCURLY', '}': 'RCURLY', '(': 'LPAREN', ')': 'RPAREN', '[': 'LBRACKET', ']': 'RBRACKET', ':': 'COLON',
	$: 'VAR_SIGN', '@': 'DIR_SIGN', '...': 'ELLIPSIS', '=': 'EQUALS', '!': 'BANG', '|': 'PIPE', '&': 'AMP',
};

/** graphql-ruby's parser message: `syntax error, unexpected RCURLY ("}") at [1, 20]`. */
function formatParseError(error) {
	const location = error.locations?.[0] ?? { line: 1, column: 1 };
	const found = /(?:found|Unexpected) (<EOF>|Name "[^"]*"|Int "[^"]*"|Float "[^"]*"|String "[^"]*"|"[^"]*")/.exec(error.message)?.[1];
	let token = 'end of file';
	if (found && found !== '<EOF>') {
		const [, kind, text] = /^(?:(Name|Int|Float|String) )?"(.*)"$/.exec(found) ?? [];
		const name = kind ? { Name: 'IDENTIFIER', Int: 'INT', Float: 'FLOAT', String: 'STRING' }[kind] : TOKEN_NAMES[text] ?? 'UNKNOWN_CHAR';
		token = `${name} ("${text}")`;
	} else if (!found && /Unexpected character/.test(error.message)) {
		token = `UNKNOWN_CHAR (${/Unexpected character: (.*)\./.exec(error.message)?.[1] ?? ''})`;
	}
	return [{ message: `syntax error, unexpected ${token} at [${location.line}, ${location.column}]`, locations: [location] }];
}

/** A variable that does not coerce: `Variable $id of type ID! was provided invalid value`, with its problems. */
function formatVariableErrors(errors, operation, variables) {
	return errors.map((error) => {
		const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? '';
		const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
		const at = / at "([^"]+)"/.exec(error.message)?.[1];
		const reason = /; (.*)$/.exec(error.message)?.[1]?.replace(/\.$/, '') ??
			(/was not provided|must not be null/.test(error.message) ? 'Expected value to not be null' : error.message);
		return {
			message: `Variable $${name} of type ${definition ? print(definition.type) : '?'} was provided invalid value${at ? ` for ${at.split('.').slice(1).join('.')}` : ''}`,
			locations: error.locations ?? [],
			extensions: {
				code: 'INVALID_VARIABLE',
				value: variables?.[name] ?? null,
				problems: [{ path: at ? at.split('.').slice(1).map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [], explanation: reason }],
			},
		};
	});
}

/** Errors raised while resolving: ours carry Shopify's message and code; anything else is an internal error. */
function formatExecutionError(error, requestId) {
	if (error.originalError && !error.originalError.extensions && !(error.originalError.name === 'GraphQLError')) {
		console.error(`[shopify] resolver failed at ${error.path?.join('.')}: ${error.originalError.stack}`);
		return {
			message: 'Internal error. Looks like something went wrong on our end.',
			locations: error.locations,
			path: error.path,
			extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
		};
	}
	return { message: error.message, locations: error.locations, path: error.path, ...(error.extensions && Object.keys(error.extensions).length ? { extensions: error.extensions } : {}) };
}

module.exports = { formatValidationErrors, formatParseError, formatVariableErrors, formatExecutionError };
