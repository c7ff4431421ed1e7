/**
 * Parameters every node of the pack reads the same way. One reading, so the same mistake gets the same
 * error whichever node it is made in.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/** The time a run acts as of: the "Now" option (for replays and tests), else the current time. */
export function readNow(ctx: IExecuteFunctions, value: unknown): Date {
	const now = value ? new Date(String(value)) : new Date();
	if (Number.isNaN(now.getTime())) {
		throw new NodeOperationError(ctx.getNode(), `Option "Now" is not a date: ${String(value)}`, {
			description: 'Fix Options > Now: an ISO 8601 time such as 2026-11-02T09:00:00Z, or empty for the current time.',
		});
	}
	return now;
}

/** A number option of at least `minimum`; empty takes the policy's `fallback`. The label names the option to fix. */
export function readNumberOption(ctx: IExecuteFunctions, label: string, value: unknown, fallback: number, minimum: number): number {
	const number = value === undefined || value === '' ? fallback : Number(value);
	if (!Number.isFinite(number) || number < minimum) {
		throw new NodeOperationError(ctx.getNode(), `Option "${label}" must be a number of ${minimum} or more, not ${String(value)}`, { description: `Fix Options > ${label}.` });
	}
	return number;
}

/** A count option (days, items): a whole number of at least `minimum`; empty takes the policy's `fallback`. */
export function readWholeNumberOption(ctx: IExecuteFunctions, label: string, value: unknown, fallback: number, minimum: number): number {
	const number = value === undefined || value === '' ? fallback : Number(value);
	if (!Number.isInteger(number) || number < minimum) {
		throw new NodeOperationError(ctx.getNode(), `Option "${label}" must be a whole number of ${minimum} or more, not ${String(value)}`, { description: `Fix Options > ${label}.` });
	}
	return number;
}
