/* handlers_dash.h — the lists and views of the dashboard: contacts of
 * every case, positive pools and the alerts (h_dash.c), a case's
 * trajectory and the zone tree (h_dash_tree.c); see handlers.h. */
API_HANDLER(api_h_dash_contacts);
API_HANDLER(api_h_dash_pools);
API_HANDLER(api_h_dash_alerts);
API_HANDLER(api_h_dash_trajectory);
API_HANDLER(api_h_dash_zone_tree);
extern const struct api_field api_dash_contacts_query[];
extern const struct api_field api_dash_pools_query[];
extern const struct api_field api_dash_alerts_query[];
extern const struct api_field api_dash_zone_tree_query[];
