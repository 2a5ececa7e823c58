/* Link-time stand-in for macOS's libSystem (no SDK on a Linux build host). */
int puts(const char *s) { return s != 0; }
int printf(const char *format, ...) { return format != 0; }
void binder(void) __asm__("dyld_stub_binder");
void binder(void) {}
