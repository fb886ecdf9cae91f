/* handlers_cases.h — cases and tracing (h_cases.c), contacts and the
 * chain (h_contacts.c), health codes and checkpoint verification
 * (h_codes.c); see handlers.h. */
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

/* A case with its person (person: the registry id), as the replies of
 * this group show one. New reference. */
json_t *api_case_json(const struct store_case_view *v, uint32_t person);
/* The stored case number into *v, with its row id and its person's
 * registry id. CD_ENOTFOUND when there is none. */
enum cd_code api_case_load(struct api_req *r, const char *number,
			   struct store_case_view *v, int64_t *case_id,
			   uint32_t *person, struct cd_err *err);
