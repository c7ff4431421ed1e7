/**
 * An order as the "where is my order" answer reads it: the delivery facts the promise rule reads, with each
 * parcel's tracking (carrier, number, link) and whose order it is, so a ticket is answered only about the
 * customer's own order.
 */
import type { DeliveryFacts, FulfillmentFacts } from './order';

/** One tracking entry of a parcel, as Shopify holds it (FulfillmentTrackingInfo). */
export interface TrackingFacts {
	company?: string | null;
	number?: string | null;
	/** Shopify's tracking URL; the answer links only an https one. */
	url?: string | null;
}

export interface TrackedFulfillment extends FulfillmentFacts {
	/** None when the parcel was read without its tracking. */
	tracking?: TrackingFacts[];
}

export interface TrackedOrder extends DeliveryFacts {
	/** Shopify's OrderDisplayFulfillmentStatus: UNFULFILLED, PARTIALLY_FULFILLED, FULFILLED, ...; when absent, read from the parcels. */
	displayFulfillmentStatus?: string;
	/** The order's customer (GID) and the email on the order, to tell whether it is the asking customer's. */
	customerId?: string;
	email?: string;
	fulfillments: TrackedFulfillment[];
}
