/** The table layout emails are built from: tables and inline styles only, which every email client renders. */

/** The attributes of a layout table: read by screen readers as layout, not data, with no spacing of its own. */
export const LAYOUT_TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';
