/*
 * A disk whose flush costs what an SD card's does, for `npm run bench -- --slow-fsync MS`:
 * preloaded into the benchmark and the daemons it starts (LD_PRELOAD), it sleeps
 * TIMECLOCK_SLOW_FSYNC_US microseconds before every fsync and fdatasync, then lets the real one
 * run. Writes stay as fast as the page cache; on a card, their cost is paid at the flush too.
 * This machine has no device-mapper delay target and no FUSE tools to slow a disk otherwise.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void wait_like_a_card(void) {
  static long delay_us = -1;
  if (delay_us < 0) {
    const char *value = getenv("TIMECLOCK_SLOW_FSYNC_US");
    delay_us = value ? atol(value) : 0;
  }
  if (delay_us <= 0) return;
  struct timespec pause = {delay_us / 1000000, (delay_us % 1000000) * 1000};
  while (nanosleep(&pause, &pause) != 0) {
  }
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  wait_like_a_card();
  return real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  wait_like_a_card();
  return real(fd);
}
