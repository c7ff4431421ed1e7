/** A support ticket as the pack reads it from any helpdesk (the item reader maps the source's fields). */
import type { Money } from '../money';
import type { Channel, CustomerTier } from './request';

/** A ticket's status in the helpdesk: pending and on hold wait on the customer (the resolution clock is paused). */
export const TICKET_STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses of a ticket not yet solved: open, or waiting on the customer (pending, on hold). */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending', 'on_hold'];
/** Whether a status (as stored) is one of a ticket not yet solved. */
export function isOpenStatus(status: string | null | undefined): boolean {
	return (OPEN_TICKET_STATUSES as readonly string[]).includes(status ?? '');
}

export interface Ticket {
	ticketId: string;
	subject: string;
	body: string;
	channel: Channel;
	customerEmail?: string;
	customerId?: string;
	/** When the customer wrote; undefined when the source did not say (the clock then starts at `now`). */
	createdAt?: Date;
	orderId?: string;
	tier?: CustomerTier;
	orderValue?: Money;
	triggerSource?: string;
	/** The helpdesk's status, when the source says it. */
	status?: TicketStatus;
	/** When the current wait on the customer began (the resolution clock is paused since). */
	pausedSince?: Date;
	/** Seconds spent waiting on the customer in earlier pauses: not counted towards the resolution target. */
	pausedSeconds?: number;
}
