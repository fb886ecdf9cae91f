/* handlers_reports.h — the daily report, its series and the epidemic
 * curve (h_reports.c); see handlers.h. */
API_HANDLER(api_h_report_daily);
API_HANDLER(api_h_report_series);
API_HANDLER(api_h_report_curve);
extern const struct api_field api_report_daily_query[];
extern const struct api_field api_report_series_query[];
extern const struct api_field api_report_curve_query[];
