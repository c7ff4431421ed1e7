/** A support ticket as the pack reads it from any helpdesk (the item reader maps the source's fields). */
import type { Money } from '../money';
import type { Channel, CustomerTier } from './request';

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
}
