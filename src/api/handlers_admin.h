/* handlers_admin.h — see handlers.h. */
