/* handlers_admin.h — accounts and audit (h_admin.c); see handlers.h. */
API_HANDLER(api_h_users_list);
API_HANDLER(api_h_user_get);
API_HANDLER(api_h_user_add);
API_HANDLER(api_h_user_change);
API_HANDLER(api_h_audit);
extern const struct api_field api_user_add_body[];
extern const struct api_field api_user_change_body[];
extern const struct api_field api_audit_query[];
