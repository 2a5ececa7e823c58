#include <stdio.h>

int main(void) {
  puts("hello from a patched binary");
  return 0;
}
