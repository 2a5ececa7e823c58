/* A stub libSystem so ld64.lld can link without an SDK. */
int puts(const char *s) { return s != 0; }
void binder(void) __asm__("dyld_stub_binder");
void binder(void) {}
