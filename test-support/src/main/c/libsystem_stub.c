/* A stub libSystem so ld64.lld can link macOS binaries without an SDK. */
int puts(const char *s) { return s != 0; }
int printf(const char *format, ...) { return format != 0; }
void binder(void) __asm__("dyld_stub_binder");
void binder(void) {}
