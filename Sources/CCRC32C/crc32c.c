// CRC-32C (Castagnoli) with the CPU's instruction, for the checksum of every log line.
#include "CCRC32C.h"

#include <string.h>

#if defined(__x86_64__)

int ccrc32c_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
  const unsigned char *p = (const unsigned char *)bytes;
  uint64_t c = (uint32_t)~crc;
  while (count >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    c = __builtin_ia32_crc32di(c, word);
    p += 8;
    count -= 8;
  }
  uint32_t c32 = (uint32_t)c;
  while (count > 0) {
    c32 = __builtin_ia32_crc32qi(c32, *p);
    p += 1;
    count -= 1;
  }
  return ~c32;
}

#else

int ccrc32c_available(void) { return 0; }

uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
  (void)bytes;
  (void)count;
  return crc;
}

#endif
