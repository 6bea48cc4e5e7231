#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction `ccrc32c_update` uses (SSE 4.2 on x86-64).
int ccrc32c_available(void);

/// Continues the CRC-32C `crc` over `count` bytes at `bytes` with the CPU's instruction:
/// the same value as the table-driven code. Call only when `ccrc32c_available()`.
uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count);

#endif
