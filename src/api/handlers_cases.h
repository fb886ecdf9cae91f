/* handlers_cases.h — see handlers.h. */
