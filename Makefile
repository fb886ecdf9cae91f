# cordon — build with GNU make.
#   make            release binary   build/release/cordon
#   make asan       sanitizer binary build/asan/cordon (ASan + UBSan)
#   make unit       unit tests under the sanitizers
#   make fuzz       libFuzzer targets (clang) in build/fuzz/
# Dependencies are found through pkg-config; libcsv ships no .pc file on
# Debian, so it falls back to -lcsv.

PKGS      := sqlite3 jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS  := $(shell pkg-config --libs $(PKGS)) \
             $(shell pkg-config --libs libcsv 2>/dev/null || echo -lcsv) -lm
CMOCKA_LIBS := $(shell pkg-config --libs cmocka)

WARN      := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wvla -Wformat=2
DEFS      := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700
INCS      := -Isrc
CFLAGS_release := -O2 -g
CFLAGS_asan    := -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_asan   := -fsanitize=address,undefined

SRC_LIB   := $(sort $(wildcard src/lib/*.c src/domain/*.c src/store/*.c \
                              src/app/*.c src/cli/*.c src/api/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))

.PHONY: all release asan unit fuzz clean
all: release

define mode_rules
$(1)_OBJ := $$(patsubst %.c,build/$(1)/%.o,$$(SRC_LIB))
build/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(WARN) $$(DEFS) $$(INCS) $$(PKG_CFLAGS) $$(CFLAGS_$(1)) -MMD -MP -c $$< -o $$@
build/$(1)/libcordon.a: $$($(1)_OBJ)
	@rm -f $$@
	ar rcs $$@ $$^
build/$(1)/cordon: build/$(1)/src/main.o build/$(1)/libcordon.a
	$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS)
-include $$(shell find build/$(1) -name '*.d' 2>/dev/null)
endef
$(eval $(call mode_rules,release))
$(eval $(call mode_rules,asan))

release: build/release/cordon
asan: build/asan/cordon

UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
build/asan/tests/%: tests/unit/%.c build/asan/libcordon.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(INCS) $(PKG_CFLAGS) $(CFLAGS_asan) $(LDFLAGS_asan) \
	    -o $@ $< build/asan/libcordon.a $(PKG_LIBS) $(CMOCKA_LIBS)
unit: $(UNIT_BIN)

FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/%: fuzz/%.c $(SRC_LIB)
	@mkdir -p $(dir $@)
	clang -std=c17 -Wall -Wextra -Werror $(DEFS) $(INCS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) \
	    -o $@ $< $(SRC_LIB) $(PKG_LIBS)
fuzz: $(FUZZ_BIN)

clean:
	rm -rf build
