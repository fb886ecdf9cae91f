/* handlers_registry.h — the registry, its summary and bulk uploads
 * (h_registry.c, h_import.c); see handlers.h. */
API_HANDLER(api_h_unit_get);
API_HANDLER(api_h_units_list);
API_HANDLER(api_h_household_get);
API_HANDLER(api_h_persons_list);
API_HANDLER(api_h_person_get);
API_HANDLER(api_h_venues_list);
API_HANDLER(api_h_venue_get);
API_HANDLER(api_h_grid_workers_list);
API_HANDLER(api_h_summary);
API_HANDLER(api_h_import);
API_HANDLER(api_h_presence_import);
extern const struct api_field api_units_query[];
extern const struct api_field api_persons_query[];
extern const struct api_field api_venues_query[];
extern const struct api_field api_summary_query[];
extern const struct api_field api_import_query[];
