/** `kpi_reports` (migrations: 20261125000000_kpi_reports): one report per period, stored before it is sent, never sent twice. */

export const KPI_REPORTS_TABLE = 'kpi_reports';
/** The table's unique key: what an insert or upsert conflicts on. */
export const KPI_REPORTS_KEY = 'period_start,period_end';
