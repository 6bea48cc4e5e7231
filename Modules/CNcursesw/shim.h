#ifndef LEARNLOG_CNCURSESW_SHIM_H
#define LEARNLOG_CNCURSESW_SHIM_H

/* Wide-character ncurses. Defined here so the module does not depend on the
   -D_XOPEN_SOURCE flag that SwiftPM drops from pkg-config output. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
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
static inline int ll_key_resize(void) { return KEY_RESIZE; }
static inline int ll_key_mouse(void) { return KEY_MOUSE; }
static inline int ll_err(void) { return ERR; }
static inline int ll_ok(void) { return OK; }

#endif
