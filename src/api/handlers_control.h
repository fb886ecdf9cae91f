/* handlers_control.h — see handlers.h: quarantine plans (h_quarantine.c),
 * sites and rooms (h_sites.c), risk zones and their proposals
 * (h_zones.c). */

/* h_quarantine.c */
extern const struct api_field api_quarantine_list_query[];
extern const struct api_field api_quarantine_plan_body[];
extern const struct api_field api_quarantine_alloc_body[];
extern const struct api_field api_quarantine_monitor_body[];
extern const struct api_field api_quarantine_due_query[];
API_HANDLER(api_h_quarantines_list);
API_HANDLER(api_h_quarantine_get);
API_HANDLER(api_h_quarantine_plan);
API_HANDLER(api_h_quarantine_monitor);
API_HANDLER(api_h_quarantine_release);
API_HANDLER(api_h_quarantine_replan);
API_HANDLER(api_h_quarantine_allocate);
API_HANDLER(api_h_quarantine_upgrade);
API_HANDLER(api_h_quarantine_due);
/* The day's lists ("sample", "release", "overdue") of people within the
 * user's jurisdiction at site (NULL: anywhere), into *out (a new
 * object); the application's error otherwise. */
enum cd_code api_quarantine_due_lists(struct api_req *r, int32_t day,
				     const char *site, json_t **out,
				     struct cd_err *err);

/* h_sites.c */
extern const struct api_field api_site_show_query[];
extern const struct api_field api_site_add_body[];
API_HANDLER(api_h_sites_list);
API_HANDLER(api_h_site_get);
API_HANDLER(api_h_site_add);

/* h_zones.c */
extern const struct api_field api_zone_list_query[];
extern const struct api_field api_zone_edit_body[];
extern const struct api_field api_zone_lift_body[];
extern const struct api_field api_zone_propose_body[];
extern const struct api_field api_zone_reject_body[];
API_HANDLER(api_h_zones_list);
API_HANDLER(api_h_zone_get);
API_HANDLER(api_h_zone_edit);
API_HANDLER(api_h_zone_lift);
API_HANDLER(api_h_zone_proposals_list);
API_HANDLER(api_h_zone_propose);
API_HANDLER(api_h_zone_proposal_get);
API_HANDLER(api_h_zone_confirm);
API_HANDLER(api_h_zone_reject);
