#ifndef FURROW_CNCURSESW_SHIM_H
#define FURROW_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// Glibc's Swift module hides these; the terminal layer needs them for CJK widths.
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);

// Macros do not import into Swift: each one the UI needs gets an inline wrapper.
static inline attr_t furrow_a_bold(void) { return A_BOLD; }
static inline attr_t furrow_a_reverse(void) { return A_REVERSE; }
static inline attr_t furrow_a_underline(void) { return A_UNDERLINE; }
static inline attr_t furrow_a_dim(void) { return A_DIM; }
static inline attr_t furrow_a_italic(void) { return A_ITALIC; }
static inline attr_t furrow_color_pair(int n) { return COLOR_PAIR(n); }
static inline int furrow_key_resize(void) { return KEY_RESIZE; }
static inline int furrow_lines(WINDOW *w) { return getmaxy(w); }
static inline int furrow_cols(WINDOW *w) { return getmaxx(w); }
static inline const char *furrow_curses_version(void) { return curses_version(); }
// Swift 6 refuses direct reads of C's mutable globals; these are set by start_color().
static inline int furrow_colors(void) { return COLORS; }
static inline int furrow_color_pairs(void) { return COLOR_PAIRS; }

// Key codes (macros in ncurses.h).
static inline int furrow_key_up(void) { return KEY_UP; }
static inline int furrow_key_down(void) { return KEY_DOWN; }
static inline int furrow_key_left(void) { return KEY_LEFT; }
static inline int furrow_key_right(void) { return KEY_RIGHT; }
static inline int furrow_key_home(void) { return KEY_HOME; }
static inline int furrow_key_end(void) { return KEY_END; }
static inline int furrow_key_npage(void) { return KEY_NPAGE; }
static inline int furrow_key_ppage(void) { return KEY_PPAGE; }
static inline int furrow_key_backspace(void) { return KEY_BACKSPACE; }
static inline int furrow_key_dc(void) { return KEY_DC; }
static inline int furrow_key_enter(void) { return KEY_ENTER; }
static inline int furrow_key_btab(void) { return KEY_BTAB; }
static inline int furrow_key_f(int n) { return KEY_F(n); }
static inline int furrow_key_code_yes(void) { return KEY_CODE_YES; }
static inline int furrow_err(void) { return ERR; }

/* stdscr is a macro or a variable depending on the build; a function reaches it either way. */
static inline WINDOW *furrow_stdscr(void) { return stdscr; }

#endif
