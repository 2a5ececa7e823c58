/* An app linking OpenSSL from the system beside the bundled libpython. */
#include <stdint.h>
#include <stdio.h>

const char *Py_GetVersion(void);
int OPENSSL_init_ssl(uint64_t opts, const void *settings);
const char *OpenSSL_version(int type);

int main(void) {
  if (!OPENSSL_init_ssl(0, NULL)) {
    return 3;
  }
  printf("python %s\ntls %s\n", Py_GetVersion(), OpenSSL_version(0));
  return 0;
}
