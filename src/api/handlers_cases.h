/* handlers_cases.h — cases, tracing and contacts (h_cases.c), health codes
 * and checkpoint verification (h_codes.c); see handlers.h. */
API_HANDLER(api_h_cases_list);
API_HANDLER(api_h_case_get);
API_HANDLER(api_h_case_add);
API_HANDLER(api_h_case_change);
API_HANDLER(api_h_case_trace);
API_HANDLER(api_h_contacts_list);
API_HANDLER(api_h_contact_add);
API_HANDLER(api_h_case_chain);
API_HANDLER(api_h_code_get);
API_HANDLER(api_h_check);
extern const struct api_field api_cases_query[];
extern const struct api_field api_case_add_body[];
extern const struct api_field api_case_change_body[];
extern const struct api_field api_contacts_query[];
extern const struct api_field api_contact_add_body[];
extern const struct api_field api_check_query[];

/* A person as every reply of this group shows them: "person" (registry
 * id), "rid", "name", "hamlet", and "phone" when with_phone. New
 * reference, NULL only out of memory. */
json_t *api_cases_person_json(const struct store_person_brief *p,
			      bool with_phone);
