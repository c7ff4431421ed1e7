/**
 * A MetricsReport written out by hand (synthetic numbers) for the KPI report's tests: one week against
 * the one before, with every part the report shows.
 */
import type { Interval, MetricsReport, PeriodMetrics, ScoreMetric } from '../../nodes/shared/contract/metricsReport';

const interval = (low: number, high: number, method: Interval['method']): Interval => ({ low, high, confidence: 0.95, method });

export function score(value: number | null, sampleSize: number, counts: Record<string, number>, options: { interval?: Interval | null; lowSample?: boolean } = {}): ScoreMetric {
	return { value, interval: options.interval ?? null, sampleSize, counts, lowSample: options.lowSample ?? sampleSize < 30 };
}

function period(
	start: string,
	end: string,
	values: { nps: number; csat: number; ces: number; median: number; withinTarget: number; backlog: number; orders: number; returned: number; ltv: number; cohortStart: string; cohortEnd: string; firstOrdersFrom: string; firstOrdersTo: string; newCustomers: number; newValue: number | null },
): PeriodMetrics {
	return {
		start,
		end,
		nps: score(values.nps, 120, { promoters: 66, passives: 30, detractors: 24 }, { interval: interval(values.nps - 12, values.nps + 11, 'adjusted_wald') }),
		csat: score(values.csat, 96, { positive: Math.round((values.csat / 100) * 96), other: 96 - Math.round((values.csat / 100) * 96) }, { interval: interval(values.csat - 7, Math.min(100, values.csat + 5), 'wilson') }),
		ces: score(values.ces, 22, { positive: 17, other: 5 }, { interval: interval(values.ces - 20, Math.min(100, values.ces + 12), 'wilson'), lowSample: true }),
		firstResponse: {
			responded: 140,
			medianHours: values.median,
			p90Hours: values.median * 3,
			withinTargetPercent: Math.round((values.withinTarget / 140) * 1000) / 10,
			p50Hours: values.median,
			withinTarget: values.withinTarget,
			targetHours: 4,
			metPercent: 90,
		},
		orders: {
			count: values.orders,
			returnedOrRefunded: values.returned,
			ratePercent: Math.round((values.returned / values.orders) * 1000) / 10,
			ageDays: 46,
			cohortStart: values.cohortStart,
			cohortEnd: values.cohortEnd,
			compensationsExcluded: 2,
		},
		lifetimeValue: {
			currency: 'USD',
			perCustomer: values.ltv,
			customers: 812,
			byCohort: [
				{ cohort: '2026-09', customers: 210, perCustomer: 18_450 },
				{ cohort: '2026-10', customers: 240, perCustomer: 12_990 },
				{ cohort: '2026-11', customers: 95, perCustomer: 6_420 },
			],
			cohortValue: {
				ageDays: 90,
				firstOrdersFrom: values.firstOrdersFrom,
				firstOrdersTo: values.firstOrdersTo,
				customers: values.newCustomers,
				perCustomer: values.newValue,
				definition: 'net spend per new customer within 90 days of their first order',
			},
		},
		backlog: values.backlog,
		breakdowns: {
			tier: {
				vip: { nps: score(72, 25, { promoters: 19, passives: 5, detractors: 1 }), csat: score(96, 25, { positive: 24, other: 1 }), ces: score(80, 5, { positive: 4, other: 1 }) },
				regular: { nps: score(38, 80, { promoters: 40, passives: 20, detractors: 20 }), csat: score(85, 60, { positive: 51, other: 9 }), ces: score(76, 13, { positive: 10, other: 3 }) },
			},
			channel: {
				email: { nps: score(41, 70, { promoters: 37, passives: 18, detractors: 15 }), csat: score(88, 56, { positive: 49, other: 7 }), ces: score(75, 12, { positive: 9, other: 3 }) },
				chat: { nps: score(50, 50, { promoters: 29, passives: 12, detractors: 9 }), csat: score(90, 40, { positive: 36, other: 4 }), ces: score(80, 10, { positive: 8, other: 2 }) },
			},
			issue_type: {
				shipping: { nps: score(20, 40, { promoters: 16, passives: 8, detractors: 16 }), csat: score(78, 36, { positive: 28, other: 8 }), ces: score(60, 10, { positive: 6, other: 4 }) },
				product: { nps: score(55, 80, { promoters: 50, passives: 14, detractors: 16 }), csat: score(92, 60, { positive: 55, other: 5 }), ces: score(83, 12, { positive: 10, other: 2 }) },
			},
		},
	};
}

/** The week of Monday 16 November 2026 against the week before. */
export function metricsReportFixture(): MetricsReport {
	// orders of 1-7 October (46 days before), new customers of 18-24 August (90 days before); the cohort before had none
	const current = period('2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z', {
		...{ nps: 35, csat: 86.5, ces: 77.3, median: 3.2, withinTarget: 129, backlog: 57, orders: 300, returned: 24, ltv: 14_210 },
		...{ cohortStart: '2026-10-01T00:00:00.000Z', cohortEnd: '2026-10-08T00:00:00.000Z', firstOrdersFrom: '2026-08-18T00:00:00.000Z', firstOrdersTo: '2026-08-25T00:00:00.000Z', newCustomers: 88, newValue: 9_870 },
	});
	const previous = period('2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z', {
		...{ nps: 52, csat: 91, ces: 75, median: 4, withinTarget: 120, backlog: 41, orders: 280, returned: 10, ltv: 13_980 },
		...{ cohortStart: '2026-09-24T00:00:00.000Z', cohortEnd: '2026-10-01T00:00:00.000Z', firstOrdersFrom: '2026-08-11T00:00:00.000Z', firstOrdersTo: '2026-08-18T00:00:00.000Z', newCustomers: 0, newValue: null },
	});
	return {
		current,
		previous,
		kpis: [
			{ key: 'first_response', label: 'Tickets answered within 4 h', value: 92.1, previous: 85.7, change: 6.4, target: 90, direction: 'above', unit: 'percent', status: 'met', atLeast: true, definition: 'each ticket against 4 h; p50 3.2 h, p90 9.6 h' },
			{ key: 'csat', label: 'CSAT', value: 86.5, previous: 91, change: -4.5, target: 90, direction: 'above', unit: 'percent', status: 'missed' },
			{ key: 'nps', label: 'NPS', value: 35, previous: 52, change: -17, target: 50, direction: 'above', unit: 'score', status: 'missed' },
			{ key: 'return_rate', label: 'Return / refund rate', value: 8, previous: 3.6, change: 4.4, target: 5, direction: 'below', unit: 'percent', status: 'missed' },
			{ key: 'ltv_growth', label: 'Lifetime value growth', value: null, previous: null, change: null, target: 0, direction: 'above', unit: 'percent', status: 'no_data' },
		],
		alerts: [
			{ key: 'nps_drop', message: 'NPS fell 17 points against the previous week', value: 17, threshold: 15 },
			{ key: 'return_rate', message: 'Return / refund rate is 8%, above 7%', value: 8, threshold: 7 },
			{ key: 'backlog', message: '57 open tickets, more than 50', value: 57, threshold: 50 },
		],
		reasons: ['nps_drop:17', 'return_rate_over:7', 'backlog_over:50'],
		summary: 'One of five KPIs met; NPS fell 17 points and returns are up.',
		rejected: 0,
	};
}
