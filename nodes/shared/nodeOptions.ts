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
