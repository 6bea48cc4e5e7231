#ifndef LEARNLOG_CNCURSESW_SHIM_H
#define LEARNLOG_CNCURSESW_SHIM_H

/* Wide-character ncurses. Defined here so the module does not depend on the
   -D_XOPEN_SOURCE flag that SwiftPM drops from pkg-config output. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <stddef.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects touching C globals and cannot import function-like macros:
   these accessors stand in for them. */
static inline WINDOW *ll_stdscr(void) { return stdscr; }
static inline int ll_lines(void) { return LINES; }
static inline int ll_cols(void) { return COLS; }
static inline int ll_colors(void) { return COLORS; }
static inline int ll_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t ll_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t ll_a_bold(void) { return A_BOLD; }
static inline attr_t ll_a_dim(void) { return A_DIM; }
static inline attr_t ll_a_reverse(void) { return A_REVERSE; }
static inline attr_t ll_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ll_a_normal(void) { return A_NORMAL; }
static inline attr_t ll_a_standout(void) { return A_STANDOUT; }

/* Mouse masks (built by function-like macros Swift cannot import). */
static inline mmask_t ll_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t ll_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t ll_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t ll_button2_pressed(void) { return BUTTON2_PRESSED; }
static inline mmask_t ll_button2_released(void) { return BUTTON2_RELEASED; }
static inline mmask_t ll_button2_clicked(void) { return BUTTON2_CLICKED; }
static inline mmask_t ll_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t ll_button3_released(void) { return BUTTON3_RELEASED; }
static inline mmask_t ll_button3_clicked(void) { return BUTTON3_CLICKED; }
static inline mmask_t ll_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t ll_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t ll_button_shift(void) { return BUTTON_SHIFT; }
static inline mmask_t ll_button_ctrl(void) { return BUTTON_CTRL; }
static inline mmask_t ll_button_alt(void) { return BUTTON_ALT; }

/* Key codes built by function-like macros. */
static inline int ll_key_f(int n) { return KEY_F(n); }
static inline int ll_key_code_yes(void) { return KEY_CODE_YES; }

/* Fills a cchar_t from one spacing character plus combining characters. */
static inline int ll_setcchar(cchar_t *cell, const wchar_t *text, attr_t attrs, int pair) {
  return setcchar(cell, text, attrs, (short)pair, NULL);
}

/* Reads a cchar_t back: its text (up to `capacity` wide characters, NUL-terminated),
   attributes and colour pair. */
static inline int ll_getcchar(const cchar_t *cell, wchar_t *text, attr_t *attrs, int *pair) {
  short shortPair = 0;
  int result = getcchar(cell, text, attrs, &shortPair, NULL);
  *pair = shortPair;
  return result;
}

/* Pair number from attributes (PAIR_NUMBER is a macro). */
static inline int ll_pair_number(attr_t attrs) { return (int)PAIR_NUMBER(attrs); }
static inline int ll_key_resize(void) { return KEY_RESIZE; }
static inline int ll_key_mouse(void) { return KEY_MOUSE; }
static inline int ll_err(void) { return ERR; }
static inline int ll_ok(void) { return OK; }

/* Atomic int access for the flag a signal handler sets and the event loop reads. */
static inline void ll_atomic_store(int *p, int value) { __atomic_store_n(p, value, __ATOMIC_SEQ_CST); }
static inline int ll_atomic_load(int *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline int ll_atomic_exchange(int *p, int value) {
  return __atomic_exchange_n(p, value, __ATOMIC_SEQ_CST);
}

/* Installs `handler` for `signal`, saving the previous action in `previous`. sigaction's
   union member differs across C libraries, so it is set here. */
static inline int ll_install_handler(int signal, void (*handler)(int), int flags,
                                     struct sigaction *previous) {
  struct sigaction action;
  sigemptyset(&action.sa_mask);
  action.sa_flags = flags;
  action.sa_handler = handler;
  return sigaction(signal, &action, previous);
}
static inline int ll_restore_handler(int signal, const struct sigaction *previous) {
  return sigaction(signal, previous, NULL);
}
static inline int ll_sa_resethand(void) { return SA_RESETHAND; }
static inline int ll_sa_restart(void) { return SA_RESTART; }
static inline int ll_sa_onstack(void) { return SA_ONSTACK; }

/* Whether tigetstr's answer is a capability string (it returns (char *)-1 for "not a string"). */
static inline const char *ll_tigetstr(const char *name) {
  char *value = tigetstr(name);
  if (value == NULL || value == (char *)-1) return NULL;
  return value;
}

/* Whether a saved action is the default or ignore (no handler to chain to). */
static inline int ll_action_is_default(const struct sigaction *action) {
  return action->sa_handler == SIG_DFL || action->sa_handler == SIG_IGN;
}

/* Async-signal-safe: writes `count` bytes to `temp` (mode 0600), flushes it and renames it over
   `path`, so the file is either the old one or the new one. 0 on success, -1 on failure. */
static inline int ll_write_file_replacing(const char *path, const char *temp,
                                          const unsigned char *bytes, size_t count) {
  int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  size_t done = 0;
  while (done < count) {
    ssize_t n = write(fd, bytes + done, count - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      unlink(temp);
      return -1;
    }
    done += (size_t)n;
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(temp, path) != 0) {
    unlink(temp);
    return -1;
  }
  return 0;
}

/* Async-signal-safe: creates `directory` (mode 0700, an existing one is fine) and opens `path`
   in it for a crash report (mode 0600, inherited by a child). The descriptor, or -1. */
static inline int ll_open_report(const char *directory, const char *path) {
  if (mkdir(directory, 0700) != 0 && errno != EEXIST) return -1;
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
}

/* Async-signal-safe: makes /dev/null the process's standard input and `fd` (when not -1) its
   standard output, so a crash reporter run next never waits for a key and writes to the file. */
static inline void ll_redirect_for_report(int fd) {
  int null = open("/dev/null", O_RDONLY);
  if (null >= 0) {
    dup2(null, 0);
    if (null != 0) close(null);
  }
  if (fd >= 0) {
    dup2(fd, 1);
    if (fd != 1) close(fd);
  }
}

/* Installs `handler` with SA_SIGINFO for `signal`, saving the previous action in `previous`. */
static inline int ll_install_info_handler(int signal, void (*handler)(int, siginfo_t *, void *),
                                          int flags, struct sigaction *previous) {
  struct sigaction action;
  sigemptyset(&action.sa_mask);
  action.sa_flags = flags | SA_SIGINFO;
  action.sa_sigaction = handler;
  return sigaction(signal, &action, previous);
}

/* Calls the saved action's handler for `signal` as the kernel would have (with the signal's
   information and context). 1 if a handler ran, 0 for the default or ignore. */
static inline int ll_call_action(const struct sigaction *action, int signal, siginfo_t *info,
                                 void *context) {
  if (action->sa_handler == SIG_DFL || action->sa_handler == SIG_IGN) return 0;
  if (action->sa_flags & SA_SIGINFO) {
    action->sa_sigaction(signal, info, context);
  } else {
    action->sa_handler(signal);
  }
  return 1;
}

/* Async-signal-safe: the default action for `signal`, then the signal raised again (delivered,
   and the process ended, as soon as the running handler returns). */
static inline void ll_default_and_raise(int signal) {
  struct sigaction action;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  action.sa_handler = SIG_DFL;
  sigaction(signal, &action, NULL);
  raise(signal);
}

#endif
