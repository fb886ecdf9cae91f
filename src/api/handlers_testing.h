/* handlers_testing.h — see handlers.h. */
