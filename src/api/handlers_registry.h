/* handlers_registry.h — see handlers.h. */
