/* handlers_testing.h — pooled testing (h_testing.c) and area testing
 * rounds (h_rounds.c); see handlers.h. */
API_HANDLER(api_h_sample_add);
API_HANDLER(api_h_sample_get);
API_HANDLER(api_h_testing_import);
API_HANDLER(api_h_result_add);
API_HANDLER(api_h_pool_recall);
API_HANDLER(api_h_certificate);
API_HANDLER(api_h_rounds_list);
API_HANDLER(api_h_round_start);
API_HANDLER(api_h_round_status);
API_HANDLER(api_h_round_missing);
API_HANDLER(api_h_round_close);
extern const struct api_field api_sample_add_body[];
extern const struct api_field api_result_add_body[];
extern const struct api_field api_testing_import_query[];
extern const struct api_field api_pool_recall_query[];
extern const struct api_field api_certificate_query[];
extern const struct api_field api_round_start_body[];
extern const struct api_field api_round_missing_query[];

/* A person as every testing reply shows one: "person" (registry id, null
 * when it cannot be read), "rid", "name", "phone" (when given), "hamlet",
 * "hamlet_name", "household". A new object; NULL strings are left out. */
json_t *api_testing_person(struct api_req *r, const char *rid,
			   const char *name, const char *phone,
			   const char *hamlet, const char *hamlet_name,
			   const char *household);
/* After an application error: name in r->field the body field its
 * message starts with ("members[2] value ..." → members), if the route
 * has one. Returns code. */
enum cd_code api_testing_field(struct api_req *r, enum cd_code code,
			       const struct cd_err *err);
